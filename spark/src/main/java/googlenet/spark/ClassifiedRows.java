package googlenet.spark;

import googlenet.engine.ScoredClass;
import googlenet.engine.Session;
import googlenet.engine.image.Classifier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A partition's rows with their predictions, classified {@code batchSize} at a time on a session borrowed from the
 * executor's model (given back when the rows run out or the task ends). A row whose image cannot be read gets a null
 * prediction and its error; the others of its batch are classified all the same.
 */
final class ClassifiedRows implements Iterator<Row> {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifiedRows.class);

    private final Iterator<Row> rows;
    private final SharedModel model;
    private final Classifier classifier;
    private final ImageColumn column;
    private final int topK;
    private final int batchSize;
    private final LongAccumulator badImages;
    private final float[] input;
    private final float[] output;
    private final Deque<Row> ready = new ArrayDeque<>();
    private Session session;
    private long rowNumber;

    ClassifiedRows(Iterator<Row> rows, SharedModel model, ImageColumn column, int topK, int batchSize, LongAccumulator badImages) {
        this.rows = rows;
        this.model = model;
        this.classifier = model.classifier();
        this.column = column;
        this.topK = Math.min(topK, classifier.classes());
        this.batchSize = batchSize;
        this.badImages = badImages;
        this.input = new float[batchSize * classifier.input().imageSize()];
        this.output = new float[batchSize * classifier.classes()];
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && rows.hasNext()) classifyBatch();
        if (ready.isEmpty()) release();
        return !ready.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        return ready.removeFirst();
    }

    /** Gives the session back to the executor's pool (once). */
    void release() {
        if (session != null) {
            model.giveBack(session);
            session = null;
        }
    }

    private void classifyBatch() {
        List<Row> batch = new ArrayList<>(batchSize);
        String[] errors = new String[batchSize];
        int[] slots = new int[batchSize];
        int decoded = 0;
        while (batch.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            int i = batch.size();
            batch.add(row);
            String name = column.rowName(row, rowNumber++);
            try {
                column.load(row, name, classifier.input(), input, decoded);
                slots[i] = decoded++;
            } catch (IOException e) {
                errors[i] = e.getMessage();
                badImages.add(1);
                LOG.warn("googlenet: {}", e.getMessage());
            }
        }
        if (decoded > 0) {
            if (session == null) session = model.borrow(batchSize);
            session.run(input, output);
        }
        for (int i = 0; i < batch.size(); i++) {
            ready.addLast(withPrediction(batch.get(i), errors[i] == null ? prediction(slots[i]) : null, errors[i]));
        }
    }

    /** The top classes as Spark's external type of an array column, a Scala Seq. */
    private Seq<Row> prediction(int slot) {
        List<Row> top = new ArrayList<>(topK);
        for (ScoredClass c : classifier.top(output, slot, topK)) top.add(RowFactory.create(c.index(), classifier.label(c.index()), c.score()));
        return CollectionConverters.asScala(top).toSeq();
    }

    private static Row withPrediction(Row row, Seq<Row> prediction, String error) {
        Object[] values = new Object[row.size() + 2];
        for (int i = 0; i < row.size(); i++) values[i] = row.get(i);
        values[row.size()] = prediction;
        values[row.size() + 1] = error;
        return RowFactory.create(values);
    }
}
