/**
 * The invariant table, in the order `verifyGraph` runs it: structure first (ids, operands,
 * arity), then types, then the manifest and liveness.
 */
import { arityMatches } from './arityMatches.js';
import { floatDtypeUniform } from './floatDtypeUniform.js';
import { inputsUnique } from './inputsUnique.js';
import type { Invariant } from './invariant.js';
import { noDeadNodes } from './noDeadNodes.js';
import { nodeIdsDense } from './nodeIdsDense.js';
import { operandsDefinedBeforeUse } from './operandsDefinedBeforeUse.js';
import { outputsDefined } from './outputsDefined.js';
import { symbolsDeclared } from './symbolsDeclared.js';
import { typesAgree } from './typesAgree.js';
import { usedFlagsTruthful } from './usedFlagsTruthful.js';
import { weightNamesWellFormed } from './weightNamesWellFormed.js';
import { weightsExist } from './weightsExist.js';

export type { Invariant } from './invariant.js';

export const invariants: readonly Invariant[] = [
  nodeIdsDense, // ids index the node list
  operandsDefinedBeforeUse, // topological order, no dangling operands
  arityMatches, // known ops with accepted operand counts
  symbolsDeclared, // canonical dims over declared symbols; concrete weights
  floatDtypeUniform, // known dtypes, one float dtype
  typesAgree, // shapes, dtypes, categories = inference
  weightNamesWellFormed, // unique dotted names
  weightsExist, // weight nodes name manifest entries, one each
  usedFlagsTruthful, // `used` ⇔ read
  inputsUnique, // graph input names unique
  outputsDefined, // outputs refer to nodes
  noDeadNodes, // every node reaches an output
];
