package googlenet.engine.image;

/**
 * A decoded 8-bit image: {@code channels} (1 = gray, 3 = RGB) interleaved per pixel, rows top to bottom.
 *
 * @param data {@code height × width × channels} bytes, read unsigned
 */
public record Pixels(int width, int height, int channels, byte[] data) {
    public Pixels {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be ≥ 1×1, got " + width + "×" + height);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (data.length != (long) width * height * channels) {
            throw new IllegalArgumentException(width + "×" + height + "×" + channels + " pixels need " + (long) width * height * channels
                    + " bytes, got " + data.length);
        }
    }

    public static Pixels blank(int width, int height, int channels) {
        return new Pixels(width, height, channels, new byte[width * height * channels]);
    }

    /** Sample {@code c} of pixel (x, y), 0–255. */
    public int get(int x, int y, int c) {
        return data[(y * width + x) * channels + c] & 0xFF;
    }

    /** One channel by PIL's {@code convert('L')} (the identity on a gray image). */
    public Pixels toGray() {
        if (channels == 1) return this;
        Pixels gray = blank(width, height, 1);
        for (int i = 0, p = 0; i < gray.data.length; i++, p += 3) {
            int r = data[p] & 0xFF, g = data[p + 1] & 0xFF, b = data[p + 2] & 0xFF;
            gray.data[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return gray;
    }

    /** The centred {@code size × size} window, placed as torchvision's {@code CenterCrop} places it. */
    public Pixels centerCrop(int size) {
        if (size > width || size > height) throw new IllegalArgumentException("crop " + size + " is larger than the image, " + width + "×" + height);
        int top = (int) Math.rint((height - size) / 2.0);
        int left = (int) Math.rint((width - size) / 2.0);
        Pixels out = blank(size, size, channels);
        for (int y = 0; y < size; y++) {
            System.arraycopy(data, ((top + y) * width + left) * channels, out.data, y * size * channels, size * channels);
        }
        return out;
    }
}
