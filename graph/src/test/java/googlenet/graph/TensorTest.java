package googlenet.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class TensorTest {
    private static byte[] littleEndian(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    @Test
    void aViewOfLittleEndianBytesDecodesToTheirValuesOnce() {
        byte[] bytes = littleEndian(1.5f, -2f, 3.25f, Float.MIN_VALUE, -0f, 1e30f);
        Tensor t = Tensor.littleEndian(Shape.of(2, 3), MemorySegment.ofArray(bytes));
        assertEquals(Shape.of(2, 3), t.shape());
        float[] data = t.data();
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f, Float.MIN_VALUE, -0f, 1e30f}, data);
        assertSame(data, t.data());
        assertEquals(1e30f, t.maxAbs());
    }

    @Test
    void valuesReadInNativeOrderWhateverHoldsThem() {
        float[] expected = {4f, -5f, 6.5f};
        Tensor view = Tensor.littleEndian(Shape.of(3), MemorySegment.ofArray(littleEndian(expected)));
        Tensor array = new Tensor(Shape.of(3), expected.clone());
        for (Tensor t : new Tensor[] {view, array}) {
            MemorySegment v = t.values();
            assertEquals(3L * Float.BYTES, v.byteSize());
            for (int i = 0; i < 3; i++) assertEquals(expected[i], v.getAtIndex(Tensor.VALUE, i), t + " value " + i);
        }
    }

    @Test
    void aReshapedViewIsStillAViewOfTheSameBytes() {
        byte[] bytes = littleEndian(1, 2, 3, 4);
        Tensor flat = Tensor.littleEndian(Shape.of(4), MemorySegment.ofArray(bytes));
        Tensor square = flat.reshaped(Shape.of(2, 2));
        assertEquals(Shape.of(2, 2), square.shape());
        MemorySegment.ofArray(bytes).set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 12, 9f);
        assertArrayEquals(new float[] {1, 2, 3, 9}, square.data()); // not decoded before: reads the bytes now
        assertThrows(IllegalArgumentException.class, () -> flat.reshaped(Shape.of(3)));
    }

    @Test
    void aViewNeedsFourBytesPerElement() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.littleEndian(Shape.of(2, 2), MemorySegment.ofArray(new byte[15])));
        assertEquals("tensor of shape (2, 2) needs 16 bytes, got 15", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tensor(Shape.of(3), new float[2]));
    }
}
