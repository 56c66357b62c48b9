package googlenet.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * perf/spark-throughput's measurement in one Spark application (master from {@code -Dspark.master}): the transformer
 * over every file of DIR, its output discarded (Spark's {@code noop} sink), after a pass over the first files that
 * loads and warms up the model. Prints images/s of each timed pass. Arguments: DIR MODEL BATCH ROUNDS.
 */
public final class SparkThroughput {
    private static final int WARM_UP_IMAGES = 64;

    private SparkThroughput() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SparkThroughput DIR MODEL BATCH ROUNDS");
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().appName("googlenet spark-throughput").getOrCreate();
        Dataset<Row> files = spark.read().format("binaryFile").load(args[0]);
        long images = files.count();
        ImageClassifier classifier = new ImageClassifier().setModel(args[1]).setBatchSize(Integer.parseInt(args[2])).setTopK(1);
        classifier.transform(files.limit(WARM_UP_IMAGES)).write().format("noop").mode("overwrite").save();
        for (int round = 1; round <= Integer.parseInt(args[3]); round++) {
            long start = System.nanoTime();
            classifier.transform(files).write().format("noop").mode("overwrite").save();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("round %d: %d images in %.2f s, %.1f images/s (%d could not be read)%n", round, images, seconds,
                    images / seconds, classifier.badImages().value());
        }
        spark.stop();
    }
}
