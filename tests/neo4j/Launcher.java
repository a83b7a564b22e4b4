// Starts Neo4j Community (embedded) with Bolt on 127.0.0.1, a free port, no authentication, and
// prints "bolt://127.0.0.1:<port>" on stdout once it accepts connections. It stops, closing the
// store cleanly, when stdin reaches end of file (its parent went away) or on SIGTERM.
//
// Usage: java -cp <classpath> Launcher.java <home directory> [page cache MiB] [port]
// The home directory holds the store files and Neo4j's logs (logs/debug.log).

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Launcher <home directory> [page cache MiB] [port]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        long pageCacheMiB = args.length > 1 ? Long.parseLong(args[1]) : 64;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                // Port 0: the OS picks a free port; the bound one is read back below.
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMiB * 1024 * 1024)
                // A test server: keep only the latest transaction log, send nothing anywhere.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt's two event loop groups each waited out Netty's quiet period (5 s) on shutdown:
                // 10 s of an idle stop, every client gone (the store's own close is unchanged).
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(plannerSettings())
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));

        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        var bolt = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        System.out.println("bolt://" + bolt.getHost() + ":" + bolt.getPort());
        System.out.flush();

        // Parent gone (stdin closed) -> stop; the shutdown hook closes the DBMS.
        while (System.in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }

    // When Cypher replans a cached statement: the JVM system properties
    // lintas.neo4j.min_replan_interval_s and lintas.neo4j.statistics_divergence_threshold, else
    // Neo4j's defaults (graphapi/devserver/neo4j.py says who sets them, and why).
    private static Map<Setting<?>, Object> plannerSettings() {
        Map<Setting<?>, Object> settings = new HashMap<>();
        String interval = System.getProperty("lintas.neo4j.min_replan_interval_s");
        if (interval != null) {
            settings.put(GraphDatabaseSettings.cypher_min_replan_interval, Duration.ofSeconds(Long.parseLong(interval)));
        }
        String divergence = System.getProperty("lintas.neo4j.statistics_divergence_threshold");
        if (divergence != null) {
            settings.put(GraphDatabaseSettings.query_statistics_divergence_threshold, Double.parseDouble(divergence));
        }
        return settings;
    }
}
