package googlenet.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

import java.io.Serial;
import java.util.Iterator;

/** What a task runs: its partition classified on its executor's shared model, fetched from the broadcast only if new there. */
record ClassifyPartition(Broadcast<ModelSource> source, ModelKey key, ImageColumn column, int topK, int batchSize,
                         LongAccumulator badImages) implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        SharedModel model = ExecutorModels.get(key, source::value);
        ClassifiedRows classified = new ClassifiedRows(rows, model, column, topK, batchSize, badImages);
        TaskContext task = TaskContext.get();
        if (task != null) task.addTaskCompletionListener((TaskCompletionListener) done -> classified.release());
        return classified;
    }
}
