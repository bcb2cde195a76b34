package io.arbor.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SqlNormalizerTest {
    private static final LexMode NO_BACKSLASH = LexMode.of(false);
    private static final LexMode ANSI = new LexMode(true, true, LexMode.Multibyte.NONE);

    private static String n(String sql) {
        return SqlNormalizer.normalize(sql, LexMode.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT * FROM t WHERE id = 42                         | SELECT * FROM t WHERE id = ?
            select  *\\tfrom t\\n where id=42                       | select * from t where id = ?
            SELECT 'it''s', "dq", 'a\\\\'b', ''                     | SELECT ?, ?, ?, ?
            SELECT 'a' 'b' 'c', 'd'                               | SELECT ?, ?
            SELECT 1.5, .5, 1e10, 1.5E-3, 0x1F, X'1F', b'01', 0b101 | SELECT ?, ?, ?, ?, ?, ?, ?, ?
            SELECT N'text', _utf8mb4'x', _binary 'y'              | SELECT ?, _utf8mb4 ?, _binary ?
            SELECT -1, +2, - 3, a-1, a - -1, (-4)                 | SELECT ?, ?, ?, a - ?, a - ?, (?)
            SELECT * FROM t WHERE a = -1 AND b > -2.5             | SELECT * FROM t WHERE a = ? AND b > ?
            SELECT -a, 1 - b                                      | SELECT - a, ? - b
            SELECT * FROM t WHERE id IN (1, 2, 3)                 | SELECT * FROM t WHERE id IN (...)
            SELECT * FROM t WHERE id in(1)                        | SELECT * FROM t WHERE id in (...)
            SELECT * FROM t WHERE id IN ('a', -1, ?, 0x2)         | SELECT * FROM t WHERE id IN (...)
            SELECT * FROM t WHERE id NOT IN (1,2) AND x IN (3)    | SELECT * FROM t WHERE id NOT IN (...) AND x IN (...)
            SELECT * FROM t WHERE id IN (SELECT id FROM u)        | SELECT * FROM t WHERE id IN (SELECT id FROM u)
            SELECT * FROM t WHERE id IN (a, 1)                    | SELECT * FROM t WHERE id IN (a, ?)
            SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))      | SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))
            SELECT * FROM t WHERE id IN ()                        | SELECT * FROM t WHERE id IN ()
            SELECT COUNT(*), COUNT (*), t.*, `t`.`c` FROM t       | SELECT COUNT(*), COUNT (*), t.*, `t`.`c` FROM t
            INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)       | INSERT INTO t (a, b) VALUES (?, ?), (?, NULL)
            UPDATE t SET a = a + 1, b = 'x' WHERE id = 3 LIMIT 1  | UPDATE t SET a = a + ?, b = ? WHERE id = ? LIMIT ?
            SELECT /* a comment */ 1 -- another\\n FROM dual # more | SELECT ? FROM dual
            SELECT /*!40001 SQL_NO_CACHE */ * FROM t              | SELECT SQL_NO_CACHE * FROM t
            /*!50001 CREATE ALGORITHM=UNDEFINED */ VIEW v AS SELECT 1 | CREATE ALGORITHM = UNDEFINED VIEW v AS SELECT ?
            SELECT /*M!100301 1, */ 2                             | SELECT ?, ?
            SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t       | SELECT * FROM t
            SELECT 1; SELECT 2;                                   | SELECT ?; SELECT ?
            ;; SELECT 1 ;; ; SET @x = 'a' ;                       | SELECT ?; SET @x = ?
            SELECT @@session.sql_mode, @x, @`y`, ? FROM t         | SELECT @@session.sql_mode, @x, @`y`, ? FROM t
            SELECT * FROM t WHERE a = ? AND b IN (?, ?)           | SELECT * FROM t WHERE a = ? AND b IN (...)
            SHOW TABLES LIKE 'a%'                                 | SHOW TABLES LIKE ?
            SET NAMES utf8mb4 COLLATE utf8mb4_bin                 | SET NAMES utf8mb4 COLLATE utf8mb4_bin
            SELECT 1abc, 12e, x.1y FROM t                         | SELECT 1abc, 12e, x.1y FROM t
            ~  ~                                                  | ~~
            /* only a comment */                                  | ~~
            """)
    void normalizes(String sql, String expected) {
        assertThat(n(unescape(sql))).isEqualTo(unescape(expected));
    }

    /** The table writes a newline as \n, a tab as \t and a backslash as \\. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                out.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void textsThatDifferOnlyInValuesShareAKey() {
        assertThat(n("SELECT * FROM t WHERE id IN (1, 2) AND name = 'x'"))
                .isEqualTo(n("SELECT  *  FROM t WHERE id IN (7,8,9,10) /* why */ AND name = 'another';"));
        assertThat(n("SELECT * FROM t WHERE id = 1")).as("table names are case-sensitive")
                .isNotEqualTo(n("SELECT * FROM T WHERE id = 1"));
    }

    @Test
    void backslashesFollowTheSessionsSqlMode() {
        // With escapes, 'a\' b' is one string; under NO_BACKSLASH_ESCAPES 'a\' ends at the second quote.
        assertThat(SqlNormalizer.normalize("SELECT 'a\\', b FROM t WHERE c = 'd'", LexMode.DEFAULT))
                .isEqualTo("SELECT ? d ?");
        assertThat(SqlNormalizer.normalize("SELECT 'a\\', b FROM t WHERE c = 'd'", NO_BACKSLASH))
                .isEqualTo("SELECT ?, b FROM t WHERE c = ?");
        assertThat(SqlNormalizer.normalize("SELECT 'x\\'; DROP TABLE t; -- '", NO_BACKSLASH))
                .as("a statement hidden by a misread escape is seen").isEqualTo("SELECT ?; DROP TABLE t");
        assertThat(SqlNormalizer.normalize("SELECT 'x\\'; DROP TABLE t; -- '", LexMode.DEFAULT)).isEqualTo("SELECT ?");
    }

    @Test
    void ansiQuotesMakeDoubleQuotesIdentifiers() {
        assertThat(SqlNormalizer.normalize("SELECT \"a\", 'b' FROM \"t\"", ANSI)).isEqualTo("SELECT \"a\", ? FROM \"t\"");
        assertThat(SqlNormalizer.normalize("SELECT \"a\", 'b' FROM \"t\"", LexMode.DEFAULT)).isEqualTo("SELECT ?, ? FROM ?");
    }

    @Test
    void multibyteCharactersWhoseSecondByteIsABackslash() {
        // gbk 0xB5 0x5C is one character: its 0x5C is no escape, so the string ends at the next quote
        LexMode gbk = new LexMode(true, false, LexMode.Multibyte.GBK);
        String text = "SELECT '\u00b5\\', b";
        assertThat(SqlNormalizer.normalize(text, gbk)).isEqualTo("SELECT ?, b");
        assertThat(SqlNormalizer.normalize(text, LexMode.DEFAULT)).isEqualTo("SELECT ?");
    }
}
