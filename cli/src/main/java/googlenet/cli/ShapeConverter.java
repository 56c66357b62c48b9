package googlenet.cli;

import googlenet.graph.Shape;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --shape N,C,H,W}. */
final class ShapeConverter implements ITypeConverter<Shape> {
    @Override
    public Shape convert(String value) {
        try {
            Shape s = Shape.parse(value);
            if (s.rank() != 4) throw new TypeConversionException("shape '" + value + "' must be N,C,H,W (4 dimensions), got " + s.rank());
            return s;
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
