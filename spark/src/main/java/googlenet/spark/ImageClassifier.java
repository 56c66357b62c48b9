package googlenet.spark;

import googlenet.engine.image.ImageDecoder;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A Spark ML transformer that classifies images with the engine: it appends the top classes of each row's image
 * ({@link #outputCol}: array of struct index, label, probability; null when the image cannot be read) and the reason
 * an image could not be read ({@link #errorCol}: null when it was). Each executor JVM compiles the model once and
 * shares it among its tasks; rows are classified {@link #batchSize} at a time. Saves and loads with a Pipeline.
 */
public final class ImageClassifier extends Transformer implements DefaultParamsWritable {
    @Serial
    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_MODEL = ModelSource.BUILTIN + "d2l-fashion";

    private final String uid;
    private final Param<String> model;
    private final Param<String> weights;
    private final Param<String> preset;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final IntParam topK;
    private final IntParam batchSize;
    private final IntParam threads;
    private transient LongAccumulator badImages;

    public ImageClassifier() {
        this(Identifiable.randomUID("imageClassifier"));
    }

    public ImageClassifier(String uid) {
        this.uid = uid;
        model = new Param<>(this, "model", "builtin:d2l, builtin:torchvision, builtin:bvlc, builtin:d2l-fashion, or an .onnx file "
                + "(any Hadoop path: file:, hdfs:, s3a: ...)");
        weights = new Param<>(this, "weights", "weights of a builtin model, a .safetensors file by PyTorch state_dict names "
                + "(any Hadoop path; empty: shipped for d2l-fashion, seeded otherwise)");
        preset = new Param<>(this, "preset", "torchvision or caffe (empty: the model's own kind; none for d2l-fashion)");
        inputCol = new Param<>(this, "inputCol", "binary column of image file bytes (binaryFile's content) or the struct of Spark's image source");
        outputCol = new Param<>(this, "outputCol", "output column: the top classes, array of struct index, label, probability");
        errorCol = new Param<>(this, "errorCol", "output column: why the image could not be classified, null when it was");
        topK = new IntParam(this, "topK", "classes per image", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "images per engine run", ParamValidators.gtEq(1));
        threads = new IntParam(this, "threads", "threads of each executor's shared model, per run", ParamValidators.gtEq(1));
        setDefault(model, DEFAULT_MODEL);
        setDefault(weights, "");
        setDefault(preset, "");
        setDefault(inputCol, "content");
        setDefault(outputCol, "prediction");
        setDefault(errorCol, "error");
        setDefault(topK, 5);
        setDefault(batchSize, 16);
        setDefault(threads, 1);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> weights() {
        return weights;
    }

    public Param<String> preset() {
        return preset;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public IntParam topK() {
        return topK;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam threads() {
        return threads;
    }

    public ImageClassifier setModel(String value) {
        return (ImageClassifier) set(model, value);
    }

    public ImageClassifier setWeights(String value) {
        return (ImageClassifier) set(weights, value);
    }

    public ImageClassifier setPreset(String value) {
        return (ImageClassifier) set(preset, value);
    }

    public ImageClassifier setInputCol(String value) {
        return (ImageClassifier) set(inputCol, value);
    }

    public ImageClassifier setOutputCol(String value) {
        return (ImageClassifier) set(outputCol, value);
    }

    public ImageClassifier setErrorCol(String value) {
        return (ImageClassifier) set(errorCol, value);
    }

    public ImageClassifier setTopK(int value) {
        return (ImageClassifier) set(topK, value);
    }

    public ImageClassifier setBatchSize(int value) {
        return (ImageClassifier) set(batchSize, value);
    }

    public ImageClassifier setThreads(int value) {
        return (ImageClassifier) set(threads, value);
    }

    public String getModel() {
        return $(model);
    }

    public int getTopK() {
        return (Integer) $(topK);
    }

    public int getBatchSize() {
        return (Integer) $(batchSize);
    }

    /** The images of the last {@link #transform}'s runs that could not be read (counted as Spark jobs run it). */
    public LongAccumulator badImages() {
        return badImages;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ImageColumn.of(schema, $(inputCol));
        for (Param<String> out : Arrays.asList(outputCol, errorCol)) {
            if (Arrays.asList(schema.fieldNames()).contains($(out))) {
                throw new IllegalArgumentException(out.name() + " '" + $(out) + "' is already a column; choose another name");
            }
        }
        if ($(outputCol).equals($(errorCol))) throw new IllegalArgumentException("outputCol and errorCol are both '" + $(outputCol) + "'");
        return schema.add($(outputCol), DataTypes.createArrayType(PredictionSchema.CLASS, false), true)
                .add($(errorCol), DataTypes.StringType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        ModelSource source;
        try {
            source = ModelSource.read($(model), $(weights), spark.sparkContext().hadoopConfiguration());
            source.classifier($(preset), ImageDecoder.DEFAULT_MAX_PIXELS); // fails here, once, on a model or preset that cannot work
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Broadcast<ModelSource> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(source);
        badImages = spark.sparkContext().longAccumulator("googlenet: images not classified (" + uid + ")");
        ClassifyPartition classify = new ClassifyPartition(shared, new ModelKey(source.sha256(), $(preset), getThreads()),
                ImageColumn.of(dataset.schema(), $(inputCol)), getTopK(), getBatchSize(), badImages);
        return dataset.toDF().mapPartitions(classify, Encoders.row(output));
    }

    private int getThreads() {
        return (Integer) $(threads);
    }

    @Override
    public ImageClassifier copy(ParamMap extra) {
        return (ImageClassifier) defaultCopy(extra);
    }

    public static MLReader<ImageClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static ImageClassifier load(String path) {
        return read().load(path);
    }
}
