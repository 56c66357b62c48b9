package googlenet.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The type of one predicted class in the transformer's output column. */
final class PredictionSchema {
    static final StructType CLASS = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("label", DataTypes.StringType, true)
            .add("probability", DataTypes.FloatType, false);

    private PredictionSchema() {
    }
}
