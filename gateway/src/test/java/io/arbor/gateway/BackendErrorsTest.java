package io.arbor.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.arbor.protocol.MySqlException;
import io.arbor.sql.Diagnostics;
import org.junit.jupiter.api.Test;

class BackendErrorsTest {
    private final BackendErrors errors = new BackendErrors("alice", "10.0.0.7", "app");

    private MySqlException server(int code, String message) {
        return MySqlException.fromServer(code, "42000", message);
    }

    @Test
    void privilegeErrorsAboutWhatIsNotThereReadAsMissing() {
        MySqlException db = errors.translate(server(1044, "Access denied for user 'b_app_main'@'localhost' to database 'nope'"), false);
        assertThat(db.code()).isEqualTo(1049);
        assertThat(db.getMessage()).isEqualTo("Unknown database 'nope'");
        MySqlException table = errors.translate(server(1142,
                "SELECT command denied to user 'b_app_main'@'localhost' for table `nope`.`t`"), false);
        assertThat(table.code()).isEqualTo(1146);
        assertThat(table.getMessage()).isEqualTo("Table 'nope.t' doesn't exist");
        MySqlException function = errors.translate(server(1370,
                "execute command denied to user 'b_app_main'@'localhost' for routine 'app.f'"), false);
        assertThat(function.getMessage()).isEqualTo("FUNCTION app.f does not exist");
        assertThat(errors.translate(server(1370, "execute command denied to user 'b_app_main'@'localhost' for routine 'app.p'"),
                true).getMessage()).isEqualTo("PROCEDURE app.p does not exist");
    }

    @Test
    void deniedOnWhatIsThereNamesTheClient() {
        MySqlException own = errors.translate(server(1142,
                "DROP command denied to user 'b_app_main'@'localhost' for table `app`.`t`"), false);
        assertThat(own.code()).isEqualTo(1142);
        assertThat(own.getMessage()).isEqualTo("DROP command denied to user 'alice'@'10.0.0.7' for table `app`.`t`");
        assertThat(errors.translate(server(1044, "Access denied for user 'arbor'@'localhost' to database 'mysql'"), false)
                .getMessage()).isEqualTo("Access denied for user 'alice'@'10.0.0.7' to database 'mysql'");
        MySqlException plain = server(1062, "Duplicate entry '1' for key 'PRIMARY'");
        assertThat(errors.translate(plain, false)).isSameAs(plain);
        assertThat(errors.translate(new Diagnostics.Condition("Warning", 1142,
                "SELECT command denied to user 'b_x_y'@'localhost' for table `other`.`t`")).code()).isEqualTo(1146);
    }
}
