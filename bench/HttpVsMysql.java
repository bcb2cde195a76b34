// Point selects over the HTTP API (keep-alive, as @planetscale/database does it: POST Execute with the
// session token) against the same through the MySQL protocol (MariaDB Connector/J), each with N
// concurrent clients for S seconds. Used by bench/http.sh; prints one key=value line per protocol.
//
//   java -cp "$CLASSPATH" bench/HttpVsMysql.java HTTP_PORT MYSQL_PORT USER PASSWORD CLIENTS SECONDS

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

public class HttpVsMysql {
    interface Client extends AutoCloseable {
        void pointSelect(int id) throws Exception;
    }

    public static void main(String[] a) throws Exception {
        int httpPort = Integer.parseInt(a[0]);
        int mysqlPort = Integer.parseInt(a[1]);
        String user = a[2];
        String password = a[3];
        int clients = Integer.parseInt(a[4]);
        int seconds = Integer.parseInt(a[5]);
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        for (String protocol : List.of("http", "mysql", "http", "mysql")) { // first pair warms up
            boolean warm = protocol.equals("http") ? !warmedHttp : !warmedMysql;
            run(protocol, clients, warm ? 5 : seconds, !warm, () -> protocol.equals("http")
                    ? http(httpPort, auth) : mysql(mysqlPort, user, password));
            if (protocol.equals("http")) {
                warmedHttp = true;
            } else {
                warmedMysql = true;
            }
        }
    }

    static boolean warmedHttp;
    static boolean warmedMysql;

    interface Factory {
        Client create() throws Exception;
    }

    static void run(String protocol, int clients, int seconds, boolean report, Factory factory) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    long[] lat = new long[1 << 20];
                    int n = 0;
                    try (Client client = factory.create()) {
                        while (System.nanoTime() < end && n < lat.length) {
                            long t = System.nanoTime();
                            client.pointSelect(1 + ThreadLocalRandom.current().nextInt(10000));
                            lat[n++] = System.nanoTime() - t;
                        }
                    }
                    return Arrays.copyOf(lat, n);
                }));
            }
            for (Future<long[]> f : futures) {
                latencies.add(f.get());
            }
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (report) {
            System.out.printf("protocol=%s clients=%d qps=%.0f p50_ms=%.3f p99_ms=%.3f%n", protocol, clients,
                    all.length / (double) seconds, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
        }
    }

    /**
     * A minimal HTTP/1.1 keep-alive client on a plain socket: Java's HttpClient costs more CPU per request
     * than the gateway does, and on a 2-core machine that would measure the client, not the gateway.
     */
    static Client http(int port, String auth) throws Exception {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream());
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        return new Client() {
            String session = "null";

            @Override
            public void pointSelect(int id) throws Exception {
                byte[] body = ("{\"query\":\"SELECT c FROM sbtest1 WHERE id=" + id + "\",\"session\":" + session + "}")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("POST /psdb.v1alpha1.Database/Execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + auth
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                int length = -1;
                int status = 0;
                String line;
                while (!(line = readLine(in)).isEmpty()) {
                    if (line.startsWith("HTTP/1.1 ")) {
                        status = Integer.parseInt(line.substring(9, 12));
                    } else if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                byte[] buf = new byte[length];
                in.readFully(buf);
                String text = new String(buf, StandardCharsets.UTF_8);
                if (status != 200 || text.contains("\"error\"")) {
                    throw new IllegalStateException(status + " " + text);
                }
                int s = text.indexOf("\"session\":");
                session = text.substring(s + 10, text.indexOf('}', s) + 1);
            }

            @Override
            public void close() throws Exception {
                socket.close();
            }
        };
    }

    static String readLine(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new java.io.EOFException();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    static Client mysql(int port, String user, String password) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/app", user, password);
        PreparedStatement ps = c.prepareStatement("SELECT c FROM sbtest1 WHERE id=?");
        return new Client() {
            @Override
            public void pointSelect(int id) throws Exception {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }

            @Override
            public void close() throws Exception {
                c.close();
            }
        };
    }
}
