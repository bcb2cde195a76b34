package io.arbor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API with the real {@code @planetscale/database} npm driver: runs the Node test suite in
 * {@code it/node} against a cluster, then checks that every value the driver decoded from the
 * {@code types} table equals what MariaDB Connector/J reads for the same rows.
 */
class HttpDriverIT {
    @RegisterExtension
    static final TestingCluster CLUSTER = new TestingCluster();

    @Test
    void theUnmodifiedPlanetScaleDriverWorksAgainstArbor() throws Exception {
        createTypes();
        Path out = Files.createTempFile("arbor-types", ".json");
        String url = "http://" + CLUSTER.user() + ":" + CLUSTER.password() + "@127.0.0.1:" + CLUSTER.httpPort();
        try {
            NodeSuites.run("driver.test.mjs", Map.of("ARBOR_HTTP_URL", url, "ARBOR_TYPES_OUT", out.toString()), Duration.ofMinutes(5));
            compareWithConnectorJ(new ObjectMapper().readTree(out.toFile()));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void createTypes() throws Exception {
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MYSQL, ""); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS types");
            s.execute("""
                    CREATE TABLE types (id INT PRIMARY KEY, i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT, i24 MEDIUMINT,
                      i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED, dcm DECIMAL(30,10), f FLOAT, d DOUBLE,
                      dt DATE, tm TIME(3), dtm DATETIME(6), ts TIMESTAMP(6) NULL, yr YEAR, ch CHAR(5), vc VARCHAR(50),
                      tx TEXT, bn BINARY(4), vb VARBINARY(20), bl BLOB, js JSON, en ENUM('a','b'), st SET('x','y'),
                      bt BIT(8), b64 BIT(64))""");
            s.execute("""
                    INSERT INTO types VALUES (1, -128, 255, -32768, -8388608, -2147483648, 4294967295,
                      -9223372036854775808, 18446744073709551615, 12345678901234567890.0123456789, 1.5, 2.25,
                      '2024-02-29', '-838:59:59.000', '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.654321', 2024,
                      'ab', 'héllo 😀', 'text ✓', x'00ff10aa', x'deadbeef', x'000102fffe', '{"k": [1, 2]}', 'b', 'x,y',
                      b'10101010', 18446744073709551615)""");
            s.execute("INSERT INTO types (id) VALUES (2)");
        }
    }

    private static void compareWithConnectorJ(JsonNode decoded) throws Exception {
        JsonNode types = decoded.get("types");
        JsonNode rows = decoded.get("rows");
        // MariaDB Connector/J's getString returns temporal values as the server wrote them (MySQL
        // Connector/J reformats TIME and drops its fraction), which is what the HTTP driver returns too.
        try (Connection c = CLUSTER.gateway(TestingCluster.Driver.MARIADB, ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM types ORDER BY id")) {
            ResultSetMetaData md = rs.getMetaData();
            int r = 0;
            while (rs.next()) {
                JsonNode row = rows.get(r++);
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String col = md.getColumnLabel(i);
                    JsonNode got = row.get(col);
                    String type = types.get(col).asText();
                    String where = "row " + r + " column " + col + " (" + type + ")";
                    if (rs.getString(i) == null) {
                        assertThat(got.isNull()).as(where).isTrue();
                        continue;
                    }
                    switch (type) {
                        case "INT8", "UINT8", "INT16", "UINT16", "INT24", "UINT24", "INT32", "UINT32", "YEAR" ->
                                assertThat(got.asLong()).as(where).isEqualTo(rs.getLong(i));
                        case "FLOAT32", "FLOAT64" -> assertThat(got.asDouble()).as(where).isEqualTo(rs.getDouble(i));
                        case "BLOB", "VARBINARY", "BINARY", "BIT" -> assertThat(got.get("$hex").asText()).as(where)
                                .isEqualTo(HexFormat.of().formatHex(rs.getBytes(i)));
                        default -> {
                            if (got.has("$hex")) {
                                assertThat(got.get("$hex").asText()).as(where).isEqualTo(HexFormat.of().formatHex(rs.getBytes(i)));
                            } else if (got.isTextual()) {
                                assertThat(got.asText()).as(where).isEqualTo(rs.getString(i));
                            } else {
                                assertThat(got.toString()).as(where).isEqualTo(new ObjectMapper().readTree(rs.getString(i)).toString());
                            }
                        }
                    }
                }
            }
            assertThat(r).isEqualTo(rows.size());
        }
    }
}
