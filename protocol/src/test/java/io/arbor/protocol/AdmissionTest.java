package io.arbor.protocol;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 40000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 40000);

    @Test
    void onlyConnectionsStillLoggingInCountAgainstTheirAddress() {
        Admission admission = new Admission(100, 2);
        Admission.Ticket first = admission.admit(A);
        Admission.Ticket second = admission.admit(A);
        assertThatThrownBy(() -> admission.admit(A)).isInstanceOfSatisfying(MySqlException.class, e -> {
            assertThat(e.code()).isEqualTo(1040);
            assertThat(e.sqlState()).isEqualTo("08004");
        });
        admission.admit(B); // another address is not affected
        first.authenticated();
        Admission.Ticket third = admission.admit(A);
        assertThat(admission.unauthenticated(A.getAddress())).isEqualTo(2);
        second.close();
        third.close();
        first.close();
        first.close(); // closing twice counts once
        assertThat(admission.unauthenticated(A.getAddress())).isZero();
        assertThat(admission.open()).isEqualTo(1);
    }

    @Test
    void everyConnectionCountsAgainstTheProcessCap() {
        Admission admission = new Admission(3, 1000);
        Admission.Ticket a = admission.admit(A);
        a.authenticated();
        admission.admit(A).authenticated();
        admission.admit(B);
        assertThatThrownBy(() -> admission.admit(B)).isInstanceOfSatisfying(MySqlException.class,
                e -> assertThat(e.code()).isEqualTo(1040));
        a.close();
        admission.admit(B);
        assertThat(admission.open()).isEqualTo(3);
    }
}
