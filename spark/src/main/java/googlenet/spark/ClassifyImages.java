package googlenet.spark;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The spark-submit job: image files in, Parquet out (path, prediction, error); see {@link JobArguments#USAGE}. Prints
 * how many images it classified, how many it could not read, and images per second.
 */
public final class ClassifyImages {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE_ERROR = 2;

    private ClassifyImages() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK) System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help")) {
            out.println(JobArguments.USAGE);
            return OK;
        }
        JobArguments job;
        try {
            job = JobArguments.parse(Arrays.asList(args));
            job.inputFolderAndFilter();
        } catch (IllegalArgumentException e) {
            err.println("ClassifyImages: " + e.getMessage());
            err.println(JobArguments.USAGE);
            return USAGE_ERROR;
        }
        SparkSession spark = SparkSession.builder().appName("googlenet ClassifyImages").getOrCreate();
        try {
            return classify(spark, job, out);
        } catch (IllegalArgumentException | java.io.IOException | java.io.UncheckedIOException e) {
            err.println("ClassifyImages: " + e.getMessage());
            return USAGE_ERROR;
        }
    }

    private static int classify(SparkSession spark, JobArguments job, PrintStream out) throws java.io.IOException {
        Path output = new Path(job.output());
        if (output.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(output)) {
            throw new IllegalArgumentException("--output " + job.output() + " exists; remove it or choose another");
        }
        String[] folderAndFilter = job.inputFolderAndFilter();
        DataFrameReader reader = spark.read().format("binaryFile");
        if (folderAndFilter[1] != null) reader = reader.option("recursiveFileLookup", "true").option("pathGlobFilter", folderAndFilter[1]);
        Dataset<Row> files;
        try {
            files = reader.load(folderAndFilter[0]);
        } catch (Exception e) { // Spark's AnalysisException (checked, undeclared) when the input matches nothing
            throw new IllegalArgumentException("--input " + job.input() + ": " + e.getMessage(), e);
        }
        ImageClassifier classifier = new ImageClassifier().setModel(job.model()).setWeights(job.weights()).setPreset(job.preset())
                .setTopK(job.top()).setBatchSize(job.batch()).setThreads(job.threads());
        long start = System.nanoTime();
        classifier.transform(files).select("path", "prediction", "error").write().parquet(job.output());
        double seconds = (System.nanoTime() - start) / 1e9;
        Dataset<Row> written = spark.read().parquet(job.output());
        long images = written.count();
        long failed = written.filter("error is not null").count();
        out.printf("classified %d images (%d could not be read) in %.1f s: %.1f images/s; wrote %s%n", images - failed, failed, seconds,
                images / seconds, job.output());
        if (job.show() > 0) {
            for (Row r : written.orderBy("path").limit(job.show()).collectAsList()) {
                if (r.isNullAt(1)) {
                    out.printf("%s  error: %s%n", r.getString(0), r.getString(2));
                } else {
                    Row best = r.<Row>getList(1).getFirst();
                    out.printf("%s  %s  %.3f%%%n", r.getString(0), best.isNullAt(1) ? "class " + best.getInt(0) : best.getString(1), 100.0 * best.getFloat(2));
                }
            }
        }
        return OK;
    }
}
