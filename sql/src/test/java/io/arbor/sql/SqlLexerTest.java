package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.sql.SqlLexer.TokenType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    /** Tokens as "TYPE text", EOF excluded. */
    static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            out.add(t + " " + lexer.text());
        }
        return out;
    }

    @Test
    void wordsNumbersAndPunctuation() {
        assertThat(tokens("SELECT a, t.b FROM t WHERE id = 42;")).containsExactly(
                "IDENTIFIER SELECT", "IDENTIFIER a", "COMMA ,", "IDENTIFIER t", "DOT .", "IDENTIFIER b",
                "IDENTIFIER FROM", "IDENTIFIER t", "IDENTIFIER WHERE", "IDENTIFIER id", "OPERATOR =",
                "NUMBER 42", "SEMICOLON ;");
    }

    @Test
    void offsetsPointIntoTheText() {
        SqlLexer lexer = new SqlLexer("  select  1");
        assertThat(lexer.type()).isNull();
        assertThat(lexer.next()).isEqualTo(TokenType.IDENTIFIER);
        assertThat(lexer.start()).isEqualTo(2);
        assertThat(lexer.end()).isEqualTo(8);
        assertThat(lexer.next()).isEqualTo(TokenType.NUMBER);
        assertThat(lexer.next()).isEqualTo(TokenType.EOF);
        assertThat(lexer.start()).isEqualTo(11);
        assertThat(lexer.next()).isEqualTo(TokenType.EOF);
    }

    @Test
    void keywordComparisonIgnoresCaseAndLength() {
        SqlLexer lexer = new SqlLexer("sElEcT selects `select` 'select'");
        lexer.next();
        assertThat(lexer.is("SELECT")).isTrue();
        assertThat(lexer.is("SELECTS")).isFalse();
        assertThat(lexer.is("SELEC")).isFalse();
        lexer.next();
        assertThat(lexer.is("SELECT")).isFalse();
        lexer.next();
        assertThat(lexer.type()).isEqualTo(TokenType.QUOTED_IDENTIFIER);
        assertThat(lexer.is("SELECT")).isFalse();
        lexer.next();
        assertThat(lexer.type()).isEqualTo(TokenType.STRING);
        assertThat(lexer.is("SELECT")).isFalse();
    }

    @Test
    void lineComments() {
        assertThat(tokens("SELECT 1 -- comment ; DROP\n, 2 # another ; DROP\n, 3 --\t tab\n--")).containsExactly(
                "IDENTIFIER SELECT", "NUMBER 1", "COMMA ,", "NUMBER 2", "COMMA ,", "NUMBER 3");
    }

    @Test
    void doubleDashWithoutSpaceIsTwoMinuses() {
        assertThat(tokens("SELECT 1--1")).containsExactly(
                "IDENTIFIER SELECT", "NUMBER 1", "OPERATOR -", "OPERATOR -", "NUMBER 1");
    }

    @Test
    void blockCommentsAreSkipped() {
        assertThat(tokens("/* a ; 'b */ SELECT /*+ HINT(x) */ 1 /* unterminated ; DROP"))
                .containsExactly("IDENTIFIER SELECT", "NUMBER 1");
    }

    @Test
    void executableCommentContentIsLexed() {
        assertThat(tokens("/*! CREATE */ /*!50001 TRIGGER*/ /*M!100101 x */ /*!99999*/ y"))
                .containsExactly("IDENTIFIER CREATE", "IDENTIFIER TRIGGER", "IDENTIFIER x", "IDENTIFIER y");
        SqlLexer lexer = new SqlLexer("/*!40101 SET a=1 */ b");
        lexer.next();
        assertThat(lexer.inExecutableComment()).isTrue();
        assertThat(lexer.is("SET")).isTrue();
        lexer.next();
        lexer.next();
        lexer.next();
        assertThat(lexer.inExecutableComment()).isTrue();
        lexer.next();
        assertThat(lexer.is("B")).isTrue();
        assertThat(lexer.inExecutableComment()).isFalse();
    }

    @Test
    void executableCommentWithoutVersionKeepsAShortNumber() {
        assertThat(tokens("/*!12 */")).containsExactly("NUMBER 12");
    }

    @Test
    void starSlashOutsideExecutableCommentIsOperators() {
        assertThat(tokens("2*/3")).containsExactly("NUMBER 2", "OPERATOR *", "OPERATOR /", "NUMBER 3");
    }

    @Test
    void commentsInsideExecutableComments() {
        assertThat(tokens("/*!50001 a /* b */ c -- d\n e */ f"))
                .containsExactly("IDENTIFIER a", "IDENTIFIER c", "IDENTIFIER e", "IDENTIFIER f");
    }

    @Test
    void stringsWithEscapesAndDoubledQuotes() {
        assertThat(tokens("'it''s' 'a\\'b;' \"say \"\"hi\"\"\" 'back\\\\' x")).containsExactly(
                "STRING 'it''s'", "STRING 'a\\'b;'", "STRING \"say \"\"hi\"\"\"", "STRING 'back\\\\'",
                "IDENTIFIER x");
    }

    @Test
    void noBackslashEscapesMode() {
        SqlLexer lexer = new SqlLexer("'a\\'; b", false);
        assertThat(lexer.next()).isEqualTo(TokenType.STRING);
        assertThat(lexer.text()).isEqualTo("'a\\'");
        assertThat(lexer.next()).isEqualTo(TokenType.SEMICOLON);
    }

    @Test
    void unterminatedStringRunsToTheEnd() {
        assertThat(tokens("SELECT 'abc; DROP")).containsExactly("IDENTIFIER SELECT", "STRING 'abc; DROP");
    }

    @Test
    void backtickIdentifiers() {
        assertThat(tokens("`a``b` `x;y` `select`")).containsExactly(
                "QUOTED_IDENTIFIER `a``b`", "QUOTED_IDENTIFIER `x;y`", "QUOTED_IDENTIFIER `select`");
        assertThat(tokens("`a\\`")).containsExactly("QUOTED_IDENTIFIER `a\\`");
    }

    @Test
    void numbers() {
        assertThat(tokens("1 1.5 .5 1e10 1.5E-3 0x1F 0b101 3.")).containsExactly(
                "NUMBER 1", "NUMBER 1.5", "NUMBER .5", "NUMBER 1e10", "NUMBER 1.5E-3", "NUMBER 0x1F",
                "NUMBER 0b101", "NUMBER 3.");
    }

    @Test
    void identifiersMayStartWithDigits() {
        assertThat(tokens("1abc 0xZZ 12e t.1x")).containsExactly("IDENTIFIER 1abc", "IDENTIFIER 0xZZ",
                "IDENTIFIER 12e", "IDENTIFIER t", "DOT .", "IDENTIFIER 1x");
    }

    @Test
    void prefixedStrings() {
        assertThat(tokens("x'0F' B'01' N'text' _utf8mb4'abc'")).containsExactly(
                "STRING x'0F'", "STRING B'01'", "STRING N'text'", "IDENTIFIER _utf8mb4", "STRING 'abc'");
    }

    @Test
    void identifierCharacters() {
        assertThat(tokens("$a_b café 日本")).containsExactly("IDENTIFIER $a_b", "IDENTIFIER café", "IDENTIFIER 日本");
    }

    @Test
    void variables() {
        assertThat(tokens("@a @a.b @'x y' @`q` @@version @@session.tx_isolation @ 'h' ?")).containsExactly(
                "VARIABLE @a", "VARIABLE @a.b", "VARIABLE @'x y'", "VARIABLE @`q`", "VARIABLE @@version",
                "VARIABLE @@session.tx_isolation", "OPERATOR @", "STRING 'h'", "PLACEHOLDER ?");
    }

    @Test
    void definerForms() {
        assertThat(tokens("'u'@'%' `u`@`h` root@localhost")).containsExactly(
                "STRING 'u'", "VARIABLE @'%'", "QUOTED_IDENTIFIER `u`", "VARIABLE @`h`",
                "IDENTIFIER root", "VARIABLE @localhost");
    }

    @Test
    void multiCharOperators() {
        assertThat(tokens("<=> <= >= <> != := && || << >> -> ->> ~ !")).containsExactly(
                "OPERATOR <=>", "OPERATOR <=", "OPERATOR >=", "OPERATOR <>", "OPERATOR !=", "OPERATOR :=",
                "OPERATOR &&", "OPERATOR ||", "OPERATOR <<", "OPERATOR >>", "OPERATOR ->", "OPERATOR ->>",
                "OPERATOR ~", "OPERATOR !");
    }

    @Test
    void worksOnAnyCharSequence() {
        SqlLexer lexer = new SqlLexer(new StringBuilder("select x"));
        lexer.next();
        assertThat(lexer.is("SELECT")).isTrue();
    }

    @Test
    void emptyAndBlankText() {
        assertThat(tokens("")).isEmpty();
        assertThat(tokens(" \n\t -- x")).isEmpty();
        assertThat(tokens("/*")).isEmpty();
    }

    static List<String> tokens(String sql, LexMode mode) {
        List<String> out = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql, mode);
        for (TokenType t = lexer.next(); t != TokenType.EOF; t = lexer.next()) {
            out.add(t + " " + lexer.text());
        }
        return out;
    }

    @Test
    void ansiQuotesLexDoubleQuotesAsNamesWithoutEscapes() {
        LexMode ansi = new LexMode(true, true, LexMode.Multibyte.NONE);
        assertThat(tokens("SELECT \"a\\\" FROM t", ansi)).containsExactly(
                "IDENTIFIER SELECT", "QUOTED_IDENTIFIER \"a\\\"", "IDENTIFIER FROM", "IDENTIFIER t");
        assertThat(tokens("SELECT 'a\\' b'", ansi)).containsExactly("IDENTIFIER SELECT", "STRING 'a\\' b'");
    }

    @Test
    void multibyteCharactersAreOneUnitWhateverTheirSecondByte() {
        LexMode gbk = new LexMode(true, false, LexMode.Multibyte.GBK);
        // 0xD5 0x5C is one GBK character, so the quote after it closes the string
        assertThat(tokens("SELECT '\u00D5\\' , 1", gbk)).containsExactly(
                "IDENTIFIER SELECT", "STRING '\u00D5\\'", "COMMA ,", "NUMBER 1");
        assertThat(tokens("SELECT '\u00D5\\' , 1", LexMode.DEFAULT)).hasSize(2);
        // in a name too: 0x81 0x60 is one sjis character, not a closing backtick
        LexMode sjis = new LexMode(true, false, LexMode.Multibyte.SJIS);
        assertThat(tokens("SELECT `\u0081` x`", sjis)).containsExactly("IDENTIFIER SELECT", "QUOTED_IDENTIFIER `\u0081` x`");
        assertThat(tokens("SELECT a\u0081\\b", sjis)).containsExactly("IDENTIFIER SELECT", "IDENTIFIER a\u0081\\b");
    }

    @Test
    void modesFollowTheSessionVariables() {
        assertThat(LexMode.of("'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'", "'utf8mb4'")).isEqualTo(new LexMode(false, false, LexMode.Multibyte.NONE));
        assertThat(LexMode.of("'REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ONLY_FULL_GROUP_BY,ANSI'", null).ansiQuotes()).isTrue();
        assertThat(LexMode.of(null, "'cp932'").multibyte()).isEqualTo(LexMode.Multibyte.SJIS);
        assertThat(LexMode.of(null, "'big5'").multibyte()).isEqualTo(LexMode.Multibyte.BIG5);
        assertThat(LexMode.of("''", "'latin1'")).isSameAs(LexMode.DEFAULT);
    }
}
