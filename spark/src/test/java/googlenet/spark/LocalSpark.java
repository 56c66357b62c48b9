package googlenet.spark;

import org.apache.spark.sql.SparkSession;

/** One local-mode Spark session with two task slots for every test class of the module (it starts in seconds, once). */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("googlenet-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/googlenet-spark-warehouse")
                    .getOrCreate();
        }
        return session;
    }
}
