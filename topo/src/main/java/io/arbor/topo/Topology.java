package io.arbor.topo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The whole cluster shape at one moment: an immutable snapshot, replaced as a whole on each change.
 * {@code sessionSecret} signs HTTP session tokens, so that any gateway of the cluster accepts them;
 * {@code keystorePassword} protects the gateway's self-signed TLS key ({@code tls/gateway.p12}). Both are
 * null in a topology written before they existed; the control plane fills them in. {@code transactions} are the
 * two-phase commits under way or left unfinished by a gateway that died ({@link TransactionRecord}).
 */
public record Topology(List<BranchRecord> branches, List<TabletRecord> tablets, List<Credential> credentials,
                       MysqldAccount mysqldAccount, String sessionSecret, String keystorePassword,
                       List<DeployRequestRecord> deployRequests, List<TransactionRecord> transactions) {
    public Topology {
        transactions = transactions == null ? List.of() : List.copyOf(transactions);
        deployRequests = deployRequests == null ? List.of() : List.copyOf(deployRequests);
        branches = List.copyOf(requireNonNull(branches, "branches is null"));
        tablets = List.copyOf(requireNonNull(tablets, "tablets is null"));
        credentials = List.copyOf(requireNonNull(credentials, "credentials is null"));
        Set<String> users = new HashSet<>();
        for (Credential c : credentials) {
            if (!users.add(c.user())) {
                throw new IllegalArgumentException("the topology has two credentials for user '" + c.user() + "'");
            }
        }
    }

    public static Topology empty() {
        return new Topology(List.of(), List.of(), List.of(), null, null, null, List.of(), List.of());
    }

    public Optional<BranchRecord> branch(String database, String name) {
        return branches.stream().filter(b -> b.database().equals(database) && b.name().equals(name)).findFirst();
    }

    public List<TabletRecord> tablets(String database, String branch) {
        return tablets.stream().filter(t -> t.database().equals(database) && t.branch().equals(branch)).toList();
    }

    /** The tablets that serve {@code target}: its keyspace's, of its shard and type. */
    public List<TabletRecord> tablets(Target target) {
        return tablets.stream().filter(t -> t.target().equals(target)).toList();
    }

    /** The credential of {@code user}. */
    public Optional<Credential> credential(String user) {
        return credentials.stream().filter(c -> c.user().equals(user)).findFirst();
    }

    /** With {@code branch} added, or in place of the branch of that database and name. */
    public Topology withBranch(BranchRecord branch) {
        return new Topology(replace(branches, b -> b.database().equals(branch.database()) && b.name().equals(branch.name()),
                branch), tablets, credentials, mysqldAccount, sessionSecret, keystorePassword, deployRequests, transactions);
    }

    public Topology withTablet(TabletRecord tablet) {
        return new Topology(branches, replace(tablets, t -> t.alias().equals(tablet.alias()), tablet), credentials,
                mysqldAccount, sessionSecret, keystorePassword, deployRequests, transactions);
    }

    /** Without the tablet {@code alias} (the same topology when there is none). */
    public Topology withoutTablet(String alias) {
        return new Topology(branches, tablets.stream().filter(t -> !t.alias().equals(alias)).toList(), credentials,
                mysqldAccount, sessionSecret, keystorePassword, deployRequests, transactions);
    }

    /** With {@code credential} added, or in place of the user's current one. */
    public Topology withCredential(Credential credential) {
        return new Topology(branches, tablets, replace(credentials, c -> c.user().equals(credential.user()), credential),
                mysqldAccount, sessionSecret, keystorePassword, deployRequests, transactions);
    }

    /** Without {@code user}'s credential (the same topology when there is none). */
    public Topology withoutCredential(String user) {
        return new Topology(branches, tablets, credentials.stream().filter(c -> !c.user().equals(user)).toList(),
                mysqldAccount, sessionSecret, keystorePassword, deployRequests, transactions);
    }

    public Topology withMysqldAccount(MysqldAccount account) {
        return new Topology(branches, tablets, credentials, account, sessionSecret, keystorePassword, deployRequests, transactions);
    }

    public Topology withSessionSecret(String secret) {
        return new Topology(branches, tablets, credentials, mysqldAccount, secret, keystorePassword, deployRequests, transactions);
    }

    public Topology withKeystorePassword(String password) {
        return new Topology(branches, tablets, credentials, mysqldAccount, sessionSecret, password, deployRequests, transactions);
    }

    /** Without any trace of {@code database}: its branches, tablets, passwords and deploy requests. */
    public Topology withoutDatabase(String database) {
        return new Topology(branches.stream().filter(b -> !b.database().equals(database)).toList(),
                tablets.stream().filter(t -> !t.database().equals(database)).toList(),
                credentials.stream().filter(c -> !c.database().equals(database)).toList(),
                mysqldAccount, sessionSecret, keystorePassword,
                deployRequests.stream().filter(d -> !d.database().equals(database)).toList(), transactions);
    }

    /** The deploy requests of {@code database}, by number. */
    public List<DeployRequestRecord> deployRequests(String database) {
        return deployRequests.stream().filter(d -> d.database().equals(database))
                .sorted(java.util.Comparator.comparingInt(DeployRequestRecord::number)).toList();
    }

    public Optional<DeployRequestRecord> deployRequest(String database, int number) {
        return deployRequests.stream().filter(d -> d.database().equals(database) && d.number() == number).findFirst();
    }

    /** With {@code request} added, or in place of the one of its database and number. */
    public Topology withDeployRequest(DeployRequestRecord request) {
        return new Topology(branches, tablets, credentials, mysqldAccount, sessionSecret, keystorePassword,
                replace(deployRequests, d -> d.database().equals(request.database()) && d.number() == request.number(), request),
                transactions);
    }

    /**
     * Without {@code database}'s branch {@code name}, its tablets and its passwords; its deploy requests stay, closed
     * (as on PlanetScale, so that their numbers are never given again).
     */
    public Topology withoutBranch(String database, String name) {
        return new Topology(branches.stream().filter(b -> !(b.database().equals(database) && b.name().equals(name))).toList(),
                tablets.stream().filter(t -> !(t.database().equals(database) && t.branch().equals(name))).toList(),
                credentials.stream().filter(c -> !(c.database().equals(database) && c.branch().equals(name))).toList(),
                mysqldAccount, sessionSecret, keystorePassword,
                deployRequests.stream().map(d -> d.database().equals(database) && (d.branch().equals(name)
                        || d.into().equals(name)) && d.state().equals(DeployRequestRecord.OPEN)
                        ? d.withState(DeployRequestRecord.CLOSED) : d).toList(), transactions);
    }

    /** The two-phase commit record of {@code dtid}. */
    public Optional<TransactionRecord> transaction(String dtid) {
        return transactions.stream().filter(t -> t.dtid().equals(dtid)).findFirst();
    }

    /** With {@code record} added, or in place of the one of its dtid. */
    public Topology withTransaction(TransactionRecord record) {
        return new Topology(branches, tablets, credentials, mysqldAccount, sessionSecret, keystorePassword, deployRequests,
                replace(transactions, t -> t.dtid().equals(record.dtid()), record));
    }

    /** Without the two-phase commit record of {@code dtid} (the same topology when there is none). */
    public Topology withoutTransaction(String dtid) {
        return transaction(dtid).isEmpty() ? this : new Topology(branches, tablets, credentials, mysqldAccount, sessionSecret,
                keystorePassword, deployRequests, transactions.stream().filter(t -> !t.dtid().equals(dtid)).toList());
    }

    public int nextServerId() {
        return tablets.stream().mapToInt(TabletRecord::serverId).max().orElse(100) + 1;
    }

    private static <T> List<T> replace(List<T> list, Predicate<T> match, T item) {
        List<T> copy = new ArrayList<>(list.stream().filter(match.negate()).toList());
        copy.add(item);
        return copy;
    }
}
