package io.arbor.query.vindex;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Column kinds from MariaDB's and Vitess's type names, and the value bytes the byte-based vindexes hash. */
class ColumnKindTest {
    @Test
    void mariadbTypes() {
        assertThat(ColumnKind.of("bigint(20) unsigned")).isEqualTo(ColumnKind.INTEGER);
        assertThat(ColumnKind.of("int(11)")).isEqualTo(ColumnKind.INTEGER);
        assertThat(ColumnKind.of("TINYINT")).isEqualTo(ColumnKind.INTEGER);
        assertThat(ColumnKind.of("varchar(255)")).isEqualTo(ColumnKind.TEXT);
        assertThat(ColumnKind.of("enum('a','b')")).isEqualTo(ColumnKind.TEXT);
        assertThat(ColumnKind.of("longtext")).isEqualTo(ColumnKind.TEXT);
        assertThat(ColumnKind.of("varbinary(16)")).isEqualTo(ColumnKind.BINARY);
        assertThat(ColumnKind.of("decimal(10,2)")).isEqualTo(ColumnKind.OTHER);
        assertThat(ColumnKind.of("datetime(6)")).isEqualTo(ColumnKind.OTHER);
    }

    @Test
    void vitessTypes() {
        assertThat(ColumnKind.of("INT64")).isEqualTo(ColumnKind.INTEGER);
        assertThat(ColumnKind.of("UINT32")).isEqualTo(ColumnKind.INTEGER);
        assertThat(ColumnKind.of("VARCHAR")).isEqualTo(ColumnKind.TEXT);
        assertThat(ColumnKind.of("VARBINARY")).isEqualTo(ColumnKind.BINARY);
        assertThat(ColumnKind.of("JSON")).isEqualTo(ColumnKind.OTHER);
    }

    @Test
    void valueBytesAreTheSqlText() {
        assertThat(VindexValues.bytes(new BigDecimal("1.10"))).isEqualTo("1.10".getBytes());
        assertThat(VindexValues.bytes(-7L)).isEqualTo("-7".getBytes());
        assertThat(VindexValues.bytes(null)).isEmpty();
        XxhashVindex xx = new XxhashVindex("x");
        assertThat(xx.keyspaceId(new BigDecimal("1.10"))).isEqualTo(xx.keyspaceId("1.10"));
    }
}
