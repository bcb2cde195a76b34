package io.arbor.query.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Doubles written as MariaDB 10.11 writes them (each expected text is what it printed for the same value). */
class ValuesFormatTest {
    @Test
    void doublesAreWrittenAsMariaDbWritesThem() {
        assertThat(Values.formatDouble(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Values.formatDouble(99.0)).isEqualTo("99");
        assertThat(Values.formatDouble(1e20)).isEqualTo("1e20");
        assertThat(Values.formatDouble(1.5e-7)).isEqualTo("0.00000015");
        assertThat(Values.formatDouble(123456789012345678e0)).isEqualTo("1.2345678901234568e17");
        assertThat(Values.formatDouble(1e15)).isEqualTo("1e15");
        assertThat(Values.formatDouble(1e14)).isEqualTo("100000000000000");
        assertThat(Values.formatDouble(999999999999999.9)).isEqualTo("999999999999999.9");
        assertThat(Values.formatDouble(1.5e-15)).isEqualTo("0.0000000000000015");
        assertThat(Values.formatDouble(1.5e-16)).isEqualTo("1.5e-16");
        assertThat(Values.formatDouble(-2.5)).isEqualTo("-2.5");
        assertThat(Values.formatDouble(1.0 / 3)).isEqualTo("0.3333333333333333");
        assertThat(Values.formatDouble(1.25e15)).isEqualTo("1.25e15");
        assertThat(Values.formatDouble(0)).isEqualTo("0");
    }
}
