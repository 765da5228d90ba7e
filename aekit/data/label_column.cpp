#include <aekit/data/label_column.h>

#include <aekit/core/error.h>


namespace aekit {

void take_label_column(Dataset& data, int64_t column) {
  const int64_t rows = data.x.rows(), cols = data.x.cols();
  if (cols < 2) fail(data.source, ": --label-column needs at least two columns (features and labels), found ", cols);
  const int64_t index = column < 0 ? cols + column : column;
  if (index < 0 || index >= cols)
    fail(data.source, ": --label-column ", column, " is out of range (the table has ", cols, " columns, 0 to ",
         cols - 1, ")");
  Tensor features({rows, cols - 1});
  Tensor labels({rows});
  for (int64_t r = 0; r < rows; ++r) {
    const float* in = data.x.row(r);
    float* out = features.row(r);
    for (int64_t c = 0; c < cols; ++c) {
      if (c == index) labels[r] = in[c];
      else *out++ = in[c];
    }
  }
  data.x = std::move(features);
  data.labels = std::move(labels);
  data.image_height = data.image_width = 0;  // a table with a label column is not an image
}

}  // namespace aekit
