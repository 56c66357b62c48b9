package googlenet.spark;

import java.util.List;

/** The command line of {@link ClassifyImages}, checked. */
record JobArguments(String input, String output, String model, String weights, String preset, int top, int batch, int threads, int show) {
    static final String USAGE = """
            Usage: ClassifyImages --input GLOB --output OUT.parquet [--model MODEL] [--weights FILE] [--preset NAME]
                                  [--top K] [--batch B] [--threads T] [--show N]
            Classifies image files (JPEG, PNG, BMP, GIF) on Spark with the googlenet engine and writes Parquet with the
            columns path, prediction (array of struct index, label, probability; null when the image could not be read)
            and error (why not; null when it was). Paths are Hadoop paths: file:, hdfs:, s3a: ...
              --input GLOB      the images; 'dir/**/*.jpg' searches dir and its subfolders for *.jpg
              --output PATH     the Parquet folder to write (must not exist)
              --model MODEL     builtin:d2l-fashion (default), builtin:d2l, builtin:torchvision, builtin:bvlc, or an .onnx file
              --weights FILE    weights of a builtin model (.safetensors; default: shipped for d2l-fashion, seeded otherwise)
              --preset NAME     torchvision or caffe (default: the model's own kind)
              --top K           classes per image (default: 5)
              --batch B         images per engine run (default: 16)
              --threads T       engine threads per run (default: 1; Spark runs one task per executor core)
              --show N          print the first N rows by path: best class and probability, or the error
              --help            this text""";

    /** The arguments, or IllegalArgumentException naming the first mistake. */
    static JobArguments parse(List<String> args) {
        String input = null;
        String output = null;
        String model = ImageClassifier.DEFAULT_MODEL;
        String weights = "";
        String preset = "";
        int top = 5;
        int batch = 16;
        int threads = 1;
        int show = 0;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!option.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + option + "'");
            if (i + 1 >= args.size()) throw new IllegalArgumentException(option + " needs a value");
            String value = args.get(++i);
            switch (option) {
                case "--input" -> input = value;
                case "--output" -> output = value;
                case "--model" -> model = value;
                case "--weights" -> weights = value;
                case "--preset" -> preset = value;
                case "--top" -> top = positive(option, value);
                case "--batch" -> batch = positive(option, value);
                case "--threads" -> threads = positive(option, value);
                case "--show" -> show = positive(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (input == null) throw new IllegalArgumentException("--input is required");
        if (output == null) throw new IllegalArgumentException("--output is required");
        return new JobArguments(input, output, model, weights, preset, top, batch, threads, show);
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(option + " must be a whole number ≥ 1, got '" + value + "'");
    }

    /** The folder to list and the file-name filter: 'dir/**{@literal /}*.jpg' is dir, recursively, '*.jpg'; otherwise the glob itself. */
    String[] inputFolderAndFilter() {
        int recursive = input.indexOf("/**/");
        if (recursive < 0) return new String[]{input, null};
        String filter = input.substring(recursive + 4);
        if (filter.contains("/")) throw new IllegalArgumentException("--input " + input + ": after '/**/' only a file-name pattern may follow");
        return new String[]{input.substring(0, recursive), filter};
    }
}
