package dev.pdsim.scenario.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class YamlNumbersTest {
    @Test
    void readsIntegersAsYamlWritesThem() {
        assertEquals(16, YamlNumbers.integer("0x10"));
        assertEquals(-16, YamlNumbers.integer("-0x10"));
        assertEquals(31, YamlNumbers.integer("0x_1F"));
        assertEquals(5, YamlNumbers.integer("0b101"));
        assertEquals(15, YamlNumbers.integer("0o17"));
        assertEquals(1000, YamlNumbers.integer("1_000"));
        assertEquals(5, YamlNumbers.integer("+5"));
        assertEquals(0, YamlNumbers.integer("0"));
        assertEquals(Long.MAX_VALUE, YamlNumbers.integer("9223372036854775807"));
    }

    @Test
    void refusesWithTheReason() {
        assertTrue(assertThrows(NumberFormatException.class, () -> YamlNumbers.integer("017")).getMessage()
                .contains("leading zero"));
        assertEquals("is too large", assertThrows(NumberFormatException.class,
                () -> YamlNumbers.integer("0xFFFFFFFFFFFFFFFFFF")).getMessage());
        assertEquals("is too large", assertThrows(NumberFormatException.class,
                () -> YamlNumbers.integer("9223372036854775808")).getMessage());
        assertEquals("is not a whole number", assertThrows(NumberFormatException.class,
                () -> YamlNumbers.integer("0xZZ")).getMessage());
    }

    @Test
    void readsDecimals() {
        assertEquals(1000.0, YamlNumbers.decimal("1e3"));
        assertEquals(16.0, YamlNumbers.decimal("0x10"));
        assertEquals(10.5, YamlNumbers.decimal("1_0.5"));
        assertEquals(Double.POSITIVE_INFINITY, YamlNumbers.decimal(".inf"));
        assertTrue(Double.isNaN(YamlNumbers.decimal(".NaN")));
        assertEquals(Double.POSITIVE_INFINITY, YamlNumbers.decimal("1e400"));
        assertThrows(NumberFormatException.class, () -> YamlNumbers.decimal("1:30"));
    }
}
