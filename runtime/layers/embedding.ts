import { tf } from '../backend/tf.js';

/** Rows of `table` (`[vocab, hidden]`, HF `embed_tokens.weight` / `wte.weight`) for int32 `ids` `[B, T]`. */
export function embedding(ids: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const asInt = ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32');
    return tf.gather(table as tf.Tensor, asInt) as tf.Tensor3D;
  });
}
