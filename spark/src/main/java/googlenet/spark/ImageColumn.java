package googlenet.spark;

import googlenet.engine.image.BadImageException;
import googlenet.engine.image.ImageInput;
import googlenet.engine.image.Pixels;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Where a row's image is: a binary column of encoded bytes (the {@code content} of Spark's {@code binaryFile} source),
 * or the struct of Spark's {@code image} source (decoded 8-bit pixels, OpenCV's BGR order). Rows are named in errors
 * by the {@code path} column, the image struct's {@code origin}, or their number in the partition.
 *
 * @param struct field indices of the image struct's height, width, nChannels, data and origin; null for a binary column
 * @param path   index of the string column {@code path}, or -1
 */
record ImageColumn(String name, int index, int[] struct, int path) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final List<String> STRUCT_FIELDS = List.of("height", "width", "nChannels", "data", "origin");
    private static final List<DataType> STRUCT_TYPES = List.of(DataTypes.IntegerType, DataTypes.IntegerType, DataTypes.IntegerType,
            DataTypes.BinaryType, DataTypes.StringType);

    /** The column {@code name} of {@code schema}, checked: binary, or a struct as Spark's image source makes. */
    static ImageColumn of(StructType schema, String name) {
        List<String> columns = Arrays.asList(schema.fieldNames());
        int index = columns.indexOf(name);
        if (index < 0) throw new IllegalArgumentException("input column '" + name + "' is not among the columns " + columns);
        int path = columns.indexOf("path");
        if (path >= 0 && !(schema.fields()[path].dataType() instanceof StringType)) path = -1;
        DataType type = schema.fields()[index].dataType();
        if (type instanceof BinaryType) return new ImageColumn(name, index, null, path);
        if (type instanceof StructType s && hasImageFields(s)) {
            int[] fields = STRUCT_FIELDS.stream().mapToInt(s::fieldIndex).toArray();
            return new ImageColumn(name, index, fields, path);
        }
        throw new IllegalArgumentException("input column '" + name + "' is " + type.simpleString()
                + "; it must be binary (image file bytes, as binaryFile's content) or the struct of Spark's image source");
    }

    private static boolean hasImageFields(StructType s) {
        List<String> names = Arrays.asList(s.fieldNames());
        for (int i = 0; i < STRUCT_FIELDS.size(); i++) {
            int at = names.indexOf(STRUCT_FIELDS.get(i));
            if (at < 0 || !s.fields()[at].dataType().equals(STRUCT_TYPES.get(i))) return false;
        }
        return true;
    }

    /** How errors name the row: its path or origin, else its number in the partition. */
    String rowName(Row row, long number) {
        if (path >= 0 && !row.isNullAt(path)) return row.getString(path);
        if (struct != null && !row.isNullAt(index) && !row.getStruct(index).isNullAt(struct[4])) return row.getStruct(index).getString(struct[4]);
        return "row " + number + " of the partition";
    }

    /** Prepares the row's image as image {@code slot} of the batch; the exception names the row and what is wrong. */
    void load(Row row, String rowName, ImageInput input, float[] batch, int slot) throws IOException {
        if (row.isNullAt(index)) throw new BadImageException(rowName + ": no image (" + name + " is null)");
        if (struct == null) input.load(new ByteArrayInputStream((byte[]) row.get(index)), rowName, batch, slot);
        else input.write(pixels(row.getStruct(index), rowName), batch, slot);
    }

    /** The image source's pixels: gray, BGR or BGRA, as gray or RGB (alpha dropped, as the decoder drops it). */
    private Pixels pixels(Row image, String rowName) throws BadImageException {
        for (int f = 0; f < 4; f++) {
            if (image.isNullAt(struct[f])) throw new BadImageException(rowName + ": the image struct's " + STRUCT_FIELDS.get(f) + " is null");
        }
        int height = image.getInt(struct[0]);
        int width = image.getInt(struct[1]);
        int channels = image.getInt(struct[2]);
        byte[] data = (byte[]) image.get(struct[3]);
        if (height < 1 || width < 1) throw new BadImageException(rowName + ": not decoded by Spark's image source (" + width + "×" + height + ")");
        if (channels != 1 && channels != 3 && channels != 4) throw new BadImageException(rowName + ": " + channels + " channels; 1, 3 or 4 are read");
        if (data.length != (long) height * width * channels) {
            throw new BadImageException(rowName + ": " + width + "×" + height + "×" + channels + " needs " + (long) height * width * channels
                    + " bytes of data, the struct has " + data.length);
        }
        if (channels == 1) return new Pixels(width, height, 1, data);
        byte[] rgb = new byte[height * width * 3];
        for (int p = 0, q = 0; p < data.length; p += channels, q += 3) {
            rgb[q] = data[p + 2];
            rgb[q + 1] = data[p + 1];
            rgb[q + 2] = data[p];
        }
        return new Pixels(width, height, 3, rgb);
    }
}
