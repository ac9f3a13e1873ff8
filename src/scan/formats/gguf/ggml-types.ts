/**
 * GGUF metadata value types (ggml/docs/gguf.md, gguf_type in ggml/include/gguf.h) and the ggml tensor
 * types' block layout (type_traits in ggml/src/ggml.c), to size tensors without reading them.
 */
export const valueType = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** Byte width of each fixed-size value type. */
export const fixedWidth: ReadonlyMap<number, number> = new Map([
  [valueType.uint8, 1],
  [valueType.int8, 1],
  [valueType.uint16, 2],
  [valueType.int16, 2],
  [valueType.uint32, 4],
  [valueType.int32, 4],
  [valueType.float32, 4],
  [valueType.bool, 1],
  [valueType.uint64, 8],
  [valueType.int64, 8],
  [valueType.float64, 8],
]);

/** ggml type id → [elements per block, bytes per block]. Removed types (4, 5, 31–33, 36–38) are absent. */
export const ggmlBlocks: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0, [1, 4]], // F32
  [1, [1, 2]], // F16
  [2, [32, 18]], // Q4_0
  [3, [32, 20]], // Q4_1
  [6, [32, 22]], // Q5_0
  [7, [32, 24]], // Q5_1
  [8, [32, 34]], // Q8_0
  [9, [32, 36]], // Q8_1
  [10, [256, 84]], // Q2_K
  [11, [256, 110]], // Q3_K
  [12, [256, 144]], // Q4_K
  [13, [256, 176]], // Q5_K
  [14, [256, 210]], // Q6_K
  [15, [256, 292]], // Q8_K
  [16, [256, 66]], // IQ2_XXS
  [17, [256, 74]], // IQ2_XS
  [18, [256, 98]], // IQ3_XXS
  [19, [256, 50]], // IQ1_S
  [20, [32, 18]], // IQ4_NL
  [21, [256, 110]], // IQ3_S
  [22, [256, 82]], // IQ2_S
  [23, [256, 136]], // IQ4_XS
  [24, [1, 1]], // I8
  [25, [1, 2]], // I16
  [26, [1, 4]], // I32
  [27, [1, 8]], // I64
  [28, [1, 8]], // F64
  [29, [256, 56]], // IQ1_M
  [30, [1, 2]], // BF16
  [34, [256, 54]], // TQ1_0
  [35, [256, 66]], // TQ2_0
  [39, [32, 17]], // MXFP4
]);
