package wasm

// Opcode is an instruction opcode. Instructions behind the 0xFC prefix are 0xFC00 | sub-opcode.
type Opcode uint16

// The supported instructions. Opcodes not listed are either unsupported features or illegal.
const (
	OpUnreachable  Opcode = 0x00
	OpNop          Opcode = 0x01
	OpBlock        Opcode = 0x02
	OpLoop         Opcode = 0x03
	OpIf           Opcode = 0x04
	OpElse         Opcode = 0x05
	OpEnd          Opcode = 0x0b
	OpBr           Opcode = 0x0c
	OpBrIf         Opcode = 0x0d
	OpBrTable      Opcode = 0x0e
	OpReturn       Opcode = 0x0f
	OpCall         Opcode = 0x10
	OpCallIndirect Opcode = 0x11
	OpDrop         Opcode = 0x1a
	OpSelect       Opcode = 0x1b
	OpSelectTyped  Opcode = 0x1c
	OpLocalGet     Opcode = 0x20
	OpLocalSet     Opcode = 0x21
	OpLocalTee     Opcode = 0x22
	OpGlobalGet    Opcode = 0x23
	OpGlobalSet    Opcode = 0x24

	OpI32Load    Opcode = 0x28
	OpI64Load    Opcode = 0x29
	OpI32Load8S  Opcode = 0x2c
	OpI32Load8U  Opcode = 0x2d
	OpI32Load16S Opcode = 0x2e
	OpI32Load16U Opcode = 0x2f
	OpI64Load8S  Opcode = 0x30
	OpI64Load8U  Opcode = 0x31
	OpI64Load16S Opcode = 0x32
	OpI64Load16U Opcode = 0x33
	OpI64Load32S Opcode = 0x34
	OpI64Load32U Opcode = 0x35
	OpI32Store   Opcode = 0x36
	OpI64Store   Opcode = 0x37
	OpI32Store8  Opcode = 0x3a
	OpI32Store16 Opcode = 0x3b
	OpI64Store8  Opcode = 0x3c
	OpI64Store16 Opcode = 0x3d
	OpI64Store32 Opcode = 0x3e
	OpMemorySize Opcode = 0x3f
	OpMemoryGrow Opcode = 0x40
	OpI32Const   Opcode = 0x41
	OpI64Const   Opcode = 0x42

	OpI32Eqz Opcode = 0x45
	OpI32Eq  Opcode = 0x46
	OpI32Ne  Opcode = 0x47
	OpI32LtS Opcode = 0x48
	OpI32LtU Opcode = 0x49
	OpI32GtS Opcode = 0x4a
	OpI32GtU Opcode = 0x4b
	OpI32LeS Opcode = 0x4c
	OpI32LeU Opcode = 0x4d
	OpI32GeS Opcode = 0x4e
	OpI32GeU Opcode = 0x4f
	OpI64Eqz Opcode = 0x50
	OpI64Eq  Opcode = 0x51
	OpI64Ne  Opcode = 0x52
	OpI64LtS Opcode = 0x53
	OpI64LtU Opcode = 0x54
	OpI64GtS Opcode = 0x55
	OpI64GtU Opcode = 0x56
	OpI64LeS Opcode = 0x57
	OpI64LeU Opcode = 0x58
	OpI64GeS Opcode = 0x59
	OpI64GeU Opcode = 0x5a

	OpI32Clz    Opcode = 0x67
	OpI32Ctz    Opcode = 0x68
	OpI32Popcnt Opcode = 0x69
	OpI32Add    Opcode = 0x6a
	OpI32Sub    Opcode = 0x6b
	OpI32Mul    Opcode = 0x6c
	OpI32DivS   Opcode = 0x6d
	OpI32DivU   Opcode = 0x6e
	OpI32RemS   Opcode = 0x6f
	OpI32RemU   Opcode = 0x70
	OpI32And    Opcode = 0x71
	OpI32Or     Opcode = 0x72
	OpI32Xor    Opcode = 0x73
	OpI32Shl    Opcode = 0x74
	OpI32ShrS   Opcode = 0x75
	OpI32ShrU   Opcode = 0x76
	OpI32Rotl   Opcode = 0x77
	OpI32Rotr   Opcode = 0x78
	OpI64Clz    Opcode = 0x79
	OpI64Ctz    Opcode = 0x7a
	OpI64Popcnt Opcode = 0x7b
	OpI64Add    Opcode = 0x7c
	OpI64Sub    Opcode = 0x7d
	OpI64Mul    Opcode = 0x7e
	OpI64DivS   Opcode = 0x7f
	OpI64DivU   Opcode = 0x80
	OpI64RemS   Opcode = 0x81
	OpI64RemU   Opcode = 0x82
	OpI64And    Opcode = 0x83
	OpI64Or     Opcode = 0x84
	OpI64Xor    Opcode = 0x85
	OpI64Shl    Opcode = 0x86
	OpI64ShrS   Opcode = 0x87
	OpI64ShrU   Opcode = 0x88
	OpI64Rotl   Opcode = 0x89
	OpI64Rotr   Opcode = 0x8a

	OpI32WrapI64    Opcode = 0xa7
	OpI64ExtendI32S Opcode = 0xac
	OpI64ExtendI32U Opcode = 0xad
	OpI32Extend8S   Opcode = 0xc0
	OpI32Extend16S  Opcode = 0xc1
	OpI64Extend8S   Opcode = 0xc2
	OpI64Extend16S  Opcode = 0xc3
	OpI64Extend32S  Opcode = 0xc4
	OpMiscPrefix    Opcode = 0xfc
	OpMemoryCopy    Opcode = 0xfc0a
	OpMemoryFill    Opcode = 0xfc0b
)

// unsupportedOp names the feature an opcode belongs to when it is outside the supported subset,
// and "" for supported and for illegal opcodes.
func unsupportedOp(op byte) string {
	switch {
	case op == 0x2a || op == 0x2b || op == 0x38 || op == 0x39 || op == 0x43 || op == 0x44,
		op >= 0x5b && op <= 0x66, op >= 0x8b && op <= 0xa6,
		op >= 0xa8 && op <= 0xab, op >= 0xae && op <= 0xbf:
		return FeatureFloats
	case op >= 0x06 && op <= 0x09, op == 0x18, op == 0x19:
		return FeatureExceptions
	case op == 0x12 || op == 0x13:
		return FeatureTailCalls
	case op == 0x14 || op == 0x15, op >= 0xd3 && op <= 0xd6:
		return FeatureFuncRefs
	case op == 0x25 || op == 0x26, op >= 0xd0 && op <= 0xd2:
		return FeatureReferenceTypes
	case op == 0xfb:
		return FeatureGC
	case op == 0xfd:
		return FeatureSIMD
	case op == 0xfe:
		return FeatureThreads
	}
	return ""
}

// unsupportedMiscOp is unsupportedOp for the sub-opcodes behind 0xFC.
func unsupportedMiscOp(sub uint32) string {
	switch {
	case sub <= 7: // saturating float-to-int truncations
		return FeatureFloats
	case sub == 8 || sub == 9 || sub == 12 || sub == 13 || sub == 14: // memory.init, data.drop, table.init, elem.drop, table.copy
		return FeatureBulkMemory
	case sub >= 15 && sub <= 17: // table.grow, table.size, table.fill
		return FeatureReferenceTypes
	}
	return ""
}
