/**
 * The one TensorFlow.js import of the runtime. Every layer, block and backend uses this namespace,
 * so generated code and the runtime always share one engine (and one set of registered backends).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
