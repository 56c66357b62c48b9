package googlenet.kernels;

/** The shape of a family split by pixels ({@link PixelTiles}): its tasks are its tiles'. */
public interface PixelTiledShape extends FamilyKernel.Shape {
    /** The pixel tiles of every image and block. */
    PixelTiles tiles();

    @Override
    default SpatialTasks tasks() {
        return tiles().tasks();
    }
}
