package io.arbor.tablet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Builds a new replica's data dir from a physical copy of its primary, as Vitess builds a replica from a backup
 * rather than replaying the binlog from the beginning (which the primary no longer has once its logs expire):
 * {@code mariadb-backup --backup} of the running primary (InnoDB pages copied while it serves, its redo log followed,
 * a short {@code BACKUP STAGE BLOCK_COMMIT} for a consistent GTID position), {@code --prepare}, then
 * {@code --move-back} into the replica's empty data dir. The GTID position the copy holds (from
 * {@code xtrabackup_binlog_info}) is where replication starts ({@link Replication#start}).
 *
 * <p>The copy reads the primary's files, so both tablets must be on one machine: the local cluster's case. Past one
 * machine the same steps stream the copy ({@code --stream=mbstream}) from the primary's host; that is for the
 * multi-node tablet agent. The copy runs as the JVM's user (root reads any data dir); the replica's tablet then
 * hands the files to mariadbd's OS user ({@link MariaDbServer#prepare}).
 */
final class ReplicaClone {
    private static final Logger log = LoggerFactory.getLogger(ReplicaClone.class);
    /** Where the copy sits until it is moved into the data dir; left behind only by a crash, removed on the next try. */
    static final String STAGING = "clone";

    private ReplicaClone() {}

    /**
     * Copies the primary whose tablet dir is {@code primaryDir} (its admin defaults file beside it) into the empty
     * data dir of the replica whose tablet dir is {@code replicaDir}.
     *
     * @return the GTID position of the copy (empty when the primary never wrote a transaction)
     */
    static String build(String alias, Path primaryDir, Path replicaDir) throws IOException, InterruptedException {
        requireNonNull(primaryDir, "primaryDir is null");
        Path staging = replicaDir.resolve(STAGING);
        Path data = replicaDir.resolve("data");
        if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
            SafeFiles.deleteTree(staging); // a copy an interrupted start left: not known to be whole
        }
        if (Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            SafeFiles.deleteTree(data); // a data dir half moved back: nothing in it is worth keeping
        }
        String backup = Binaries.find("mariadb-backup");
        Path defaults = Bootstrap.defaultsFile(primaryDir);
        Path logFile = replicaDir.resolve("clone.log");
        long started = System.nanoTime();
        log.info("tablet {}: copying its primary's data ({}) with mariadb-backup", alias, primaryDir);
        MariaDbServer.run(List.of(backup, "--defaults-file=" + defaults, "--backup", "--datadir=" + primaryDir.resolve("data"),
                "--target-dir=" + staging), null, logFile);
        String gtid = gtidOf(staging);
        MariaDbServer.run(List.of(backup, "--no-defaults", "--prepare", "--target-dir=" + staging), null, logFile);
        MariaDbServer.run(List.of(backup, "--no-defaults", "--move-back", "--target-dir=" + staging, "--datadir=" + data),
                null, logFile);
        SafeFiles.deleteTree(staging);
        log.info("tablet {}: data copied in {} ms, at GTID position '{}'", alias, (System.nanoTime() - started) / 1_000_000, gtid);
        return gtid;
    }

    /** The GTID position {@code mariadb-backup} recorded: the third field of {@code xtrabackup_binlog_info}. */
    static String gtidOf(Path backupDir) throws IOException {
        Path info = backupDir.resolve("xtrabackup_binlog_info");
        if (!Files.exists(info, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("mariadb-backup wrote no " + info.getFileName() + " (is the primary's binlog on?)");
        }
        return gtidOfLine(SafeFiles.read(info));
    }

    /** {@code mysql-bin.000003\t813\t0-101-55} gives {@code 0-101-55}; a line without a GTID gives the empty position. */
    static String gtidOfLine(String line) {
        String[] fields = line.strip().split("\\s+");
        return fields.length >= 3 ? fields[2] : "";
    }
}
