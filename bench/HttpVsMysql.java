// Point selects over the HTTP API (keep-alive, as @planetscale/database does it: POST Execute with the
// session token) against the same through the MySQL protocol (MariaDB Connector/J), each with N
// concurrent clients for S seconds. Used by bench/http.sh; prints one key=value line per protocol.
//
//   java -cp "$CLASSPATH" bench/HttpVsMysql.java HTTP_PORT MYSQL_PORT USER PASSWORD CLIENTS SECONDS

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
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

    static Client http(int port, String auth) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/psdb.v1alpha1.Database/Execute");
        return new Client() {
            String session = "null";

            @Override
            public void pointSelect(int id) throws Exception {
                String body = "{\"query\":\"SELECT c FROM sbtest1 WHERE id=" + id + "\",\"session\":" + session + "}";
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String text = r.body();
                if (r.statusCode() != 200 || text.contains("\"error\"")) {
                    throw new IllegalStateException(text);
                }
                int s = text.indexOf("\"session\":");
                session = text.substring(s + 10, text.indexOf('}', s) + 1);
            }

            @Override
            public void close() {
                client.close();
            }
        };
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
