package googlenet.kernels;

/**
 * The split of a kernel that goes by pixels rather than rows (elementwise maps, LRN, channel copies): each image's
 * {@code plane} pixels, row-major, in tiles of {@code pixelsPerTile} (the last one shorter), as the parts of its
 * {@link SpatialTasks}.
 */
public record PixelTiles(int plane, int pixelsPerTile, SpatialTasks tasks) {
    /** {@code height × width} pixels in tiles of at most {@code maxPixels}, for {@code batch} images and {@code blocks} blocks. */
    public static PixelTiles of(int batch, int height, int width, int blocks, int maxPixels) {
        int plane = height * width;
        int perTile = Math.min(plane, maxPixels);
        return new PixelTiles(plane, perTile, new SpatialTasks(batch, Math.ceilDiv(plane, perTile), blocks));
    }

    /** {@code t}'s pixels in tiles of at most {@code maxPixels}, for its batch and channel blocks. */
    public static PixelTiles of(BlockedTensor t, int maxPixels) {
        return of(t.batch(), t.height(), t.width(), t.blocks(), maxPixels);
    }

    /** The first pixel of tile {@code part}. */
    public int first(int part) {
        return part * pixelsPerTile;
    }

    /** One past the last pixel of tile {@code part}. */
    public int end(int part) {
        return Math.min(plane, first(part) + pixelsPerTile);
    }
}
