/** The op table and node type inference. */
export { opSchemas } from './table.js';
export { inferNodeType, type InferredNode } from './infer.js';
export { IrTypeError, type InferContext, type OpSchema, type TensorType } from './schema.js';
