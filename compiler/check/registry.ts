/**
 * The rules, in the order they run. Earlier rules own the basic problems (names, types, missing
 * parts) so later ones can assume readable values and stay silent otherwise; each rule reports a
 * problem once, at the span of the text that caused it.
 */
import type { Rule } from './context.js';
import { AttentionHeadsRule } from './rules/AttentionHeadsRule.js';
import { AudioSampleRateRule } from './rules/AudioSampleRateRule.js';
import { ClassTokenRule } from './rules/ClassTokenRule.js';
import { ConvolutionGroupsRule } from './rules/ConvolutionGroupsRule.js';
import { KnownNamesRule } from './rules/KnownNamesRule.js';
import { PatchGridRule } from './rules/PatchGridRule.js';
import { PlaceholderTokensRule } from './rules/PlaceholderTokensRule.js';
import { PoolingRule } from './rules/PoolingRule.js';
import { PositionTableRule } from './rules/PositionTableRule.js';
import { ProjectorWidthsRule } from './rules/ProjectorWidthsRule.js';
import { RequiredPartsRule } from './rules/RequiredPartsRule.js';
import { RotaryHeadDimRule } from './rules/RotaryHeadDimRule.js';
import { SelectLayerRule } from './rules/SelectLayerRule.js';
import { SenseModalityRule } from './rules/SenseModalityRule.js';
import { SenseTokensRule } from './rules/SenseTokensRule.js';
import { SequenceBudgetRule } from './rules/SequenceBudgetRule.js';
import { TrainableModulesRule } from './rules/TrainableModulesRule.js';
import { ValueTypesRule } from './rules/ValueTypesRule.js';

export const specifiedRules: readonly Rule[] = [
  // Vocabulary: fields, families/kinds, enum names, positional arguments (did-you-mean).
  KnownNamesRule,
  // Types and ranges: positive integers, eps > 0, booleans, non-empty placeholder text.
  ValueTypesRule,
  // Structure: a decoder; each sense's input, encoder, projector, token; required fields.
  RequiredPartsRule,
  // Senses: vision encoders read images/video, audio encoders read audio; channels agree.
  SenseModalityRule,
  // Attention: heads divide the width (decoder and encoders); kv_heads divide heads.
  AttentionHeadsRule,
  // BEATs: the grouped position convolution's groups divide the width.
  ConvolutionGroupsRule,
  // RoPE: an even head width.
  RotaryHeadDimRule,
  // ViTs: patch divides the image size.
  PatchGridRule,
  // ViTs: the input size equals the encoder's position-table size.
  PositionTableRule,
  // ViTs: select_layer within [-layers, layers - 1].
  SelectLayerRule,
  // ViTs: the pooling stride divides the patch grid.
  PoolingRule,
  // ViTs: drop_cls without a class token does nothing (warning).
  ClassTokenRule,
  // Widths: encoder output -> projector input; projector output = decoder hidden.
  ProjectorWidthsRule,
  // Exact tokens per sense: whole samples, Whisper positions, BEATs patches, long enough clips.
  SenseTokensRule,
  // Whisper expects 16 kHz (warning).
  AudioSampleRateRule,
  // Budget: text + every sense's tokens <= decoder context.
  SequenceBudgetRule,
  // Placeholders: distinct texts and ids; ids inside the vocabulary or added after it.
  PlaceholderTokensRule,
  // Training: something is left unfrozen (warning).
  TrainableModulesRule,
];
