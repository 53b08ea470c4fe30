/**
 * A reader of the ECMA-335 metadata of a .NET assembly, just enough to see what compiled policy
 * expressions reference: type and member references, generic instantiations, local variable types and
 * the tokens in method bodies (IL). Pure: works on the bytes of the DLL that `mcs` wrote.
 *
 * Spec: ECMA-335 6th edition, partition II (sections 22-25: metadata tables, signatures, file format)
 * and partition III (the IL instruction set, for operand sizes).
 */

export class MetadataError extends Error {}

/** A type as the metadata names it: `System.Collections.Generic.Dictionary\`2`, nested types joined with `.`. */
export type TypeSig =
  | { readonly kind: "primitive"; readonly name: string }
  | {
      readonly kind: "named";
      /** Full name, generic arity suffix included (`List\`1`). */
      readonly name: string;
      /** A TypeDef of this assembly (as opposed to a TypeRef to another assembly). */
      readonly local: boolean;
      /** TypeDef row (1-based) when `local`. */
      readonly row?: number;
      readonly args: readonly TypeSig[];
    }
  | { readonly kind: "array"; readonly element: TypeSig }
  | { readonly kind: "pointer"; readonly element: TypeSig }
  | { readonly kind: "byref"; readonly element: TypeSig }
  | { readonly kind: "generic-parameter"; readonly index: number; readonly method: boolean }
  | { readonly kind: "function-pointer" }
  | { readonly kind: "typed-reference" };

/** What a method body refers to. */
export type Reference =
  | { readonly kind: "type"; readonly type: TypeSig }
  | {
      readonly kind: "member";
      readonly declaringType: TypeSig;
      readonly name: string;
      /** Method type arguments (`Enumerable.Select<string, string>`), empty for fields and plain methods. */
      readonly methodArgs: readonly TypeSig[];
      /** A MethodDef/Field of this assembly. */
      readonly local: boolean;
      /** Parameter count of a method (absent for fields), to tell overloads apart. */
      readonly parameterCount?: number;
    }
  | { readonly kind: "unresolved"; readonly token: number };

export interface TypeDefinition {
  readonly row: number;
  readonly name: string;
  /** Row of the enclosing TypeDef for nested types. */
  readonly enclosing?: number;
  readonly methodRows: readonly number[];
}

export interface MethodBodyReferences {
  readonly typeRow: number;
  readonly methodName: string;
  readonly references: readonly Reference[];
}

const PRIMITIVES: Readonly<Record<number, string>> = {
  0x01: "System.Void",
  0x02: "System.Boolean",
  0x03: "System.Char",
  0x04: "System.SByte",
  0x05: "System.Byte",
  0x06: "System.Int16",
  0x07: "System.UInt16",
  0x08: "System.Int32",
  0x09: "System.UInt32",
  0x0a: "System.Int64",
  0x0b: "System.UInt64",
  0x0c: "System.Single",
  0x0d: "System.Double",
  0x0e: "System.String",
  0x18: "System.IntPtr",
  0x19: "System.UIntPtr",
  0x1c: "System.Object",
};

// Table numbers (partition II, 22).
const T = {
  Module: 0x00,
  TypeRef: 0x01,
  TypeDef: 0x02,
  FieldPtr: 0x03,
  Field: 0x04,
  MethodPtr: 0x05,
  MethodDef: 0x06,
  ParamPtr: 0x07,
  Param: 0x08,
  InterfaceImpl: 0x09,
  MemberRef: 0x0a,
  Constant: 0x0b,
  CustomAttribute: 0x0c,
  FieldMarshal: 0x0d,
  DeclSecurity: 0x0e,
  ClassLayout: 0x0f,
  FieldLayout: 0x10,
  StandAloneSig: 0x11,
  EventMap: 0x12,
  EventPtr: 0x13,
  Event: 0x14,
  PropertyMap: 0x15,
  PropertyPtr: 0x16,
  Property: 0x17,
  MethodSemantics: 0x18,
  MethodImpl: 0x19,
  ModuleRef: 0x1a,
  TypeSpec: 0x1b,
  ImplMap: 0x1c,
  FieldRVA: 0x1d,
  EncLog: 0x1e,
  EncMap: 0x1f,
  Assembly: 0x20,
  AssemblyProcessor: 0x21,
  AssemblyOS: 0x22,
  AssemblyRef: 0x23,
  AssemblyRefProcessor: 0x24,
  AssemblyRefOS: 0x25,
  File: 0x26,
  ExportedType: 0x27,
  ManifestResource: 0x28,
  NestedClass: 0x29,
  GenericParam: 0x2a,
  MethodSpec: 0x2b,
  GenericParamConstraint: 0x2c,
} as const;

/** Coded indexes (partition II, 24.2.6): tag bits and the tables they select (-1: unused tag). */
const CODED: Readonly<Record<string, { bits: number; tables: readonly number[] }>> = {
  TypeDefOrRef: { bits: 2, tables: [T.TypeDef, T.TypeRef, T.TypeSpec] },
  HasConstant: { bits: 2, tables: [T.Field, T.Param, T.Property] },
  HasCustomAttribute: {
    bits: 5,
    tables: [
      T.MethodDef,
      T.Field,
      T.TypeRef,
      T.TypeDef,
      T.Param,
      T.InterfaceImpl,
      T.MemberRef,
      T.Module,
      T.DeclSecurity,
      T.Property,
      T.Event,
      T.StandAloneSig,
      T.ModuleRef,
      T.TypeSpec,
      T.Assembly,
      T.AssemblyRef,
      T.File,
      T.ExportedType,
      T.ManifestResource,
      T.GenericParam,
      T.GenericParamConstraint,
      T.MethodSpec,
    ],
  },
  HasFieldMarshal: { bits: 1, tables: [T.Field, T.Param] },
  HasDeclSecurity: { bits: 2, tables: [T.TypeDef, T.MethodDef, T.Assembly] },
  MemberRefParent: { bits: 3, tables: [T.TypeDef, T.TypeRef, T.ModuleRef, T.MethodDef, T.TypeSpec] },
  HasSemantics: { bits: 1, tables: [T.Event, T.Property] },
  MethodDefOrRef: { bits: 1, tables: [T.MethodDef, T.MemberRef] },
  MemberForwarded: { bits: 1, tables: [T.Field, T.MethodDef] },
  Implementation: { bits: 2, tables: [T.File, T.AssemblyRef, T.ExportedType] },
  CustomAttributeType: { bits: 3, tables: [-1, -1, T.MethodDef, T.MemberRef, -1] },
  ResolutionScope: { bits: 2, tables: [T.Module, T.ModuleRef, T.AssemblyRef, T.TypeRef] },
  TypeOrMethodDef: { bits: 1, tables: [T.TypeDef, T.MethodDef] },
};

/** Column kinds: fixed sizes, heap indexes, simple table indexes (`t:<table>`) and coded indexes (`c:<name>`). */
type Column = 1 | 2 | 4 | "string" | "guid" | "blob" | `t:${number}` | `c:${string}`;

const idx = (table: number): Column => `t:${table}`;
const coded = (name: keyof typeof CODED): Column => `c:${name}`;

const SCHEMA: Readonly<Record<number, readonly Column[]>> = {
  [T.Module]: [2, "string", "guid", "guid", "guid"],
  [T.TypeRef]: [coded("ResolutionScope"), "string", "string"],
  [T.TypeDef]: [4, "string", "string", coded("TypeDefOrRef"), idx(T.Field), idx(T.MethodDef)],
  [T.FieldPtr]: [idx(T.Field)],
  [T.Field]: [2, "string", "blob"],
  [T.MethodPtr]: [idx(T.MethodDef)],
  [T.MethodDef]: [4, 2, 2, "string", "blob", idx(T.Param)],
  [T.ParamPtr]: [idx(T.Param)],
  [T.Param]: [2, 2, "string"],
  [T.InterfaceImpl]: [idx(T.TypeDef), coded("TypeDefOrRef")],
  [T.MemberRef]: [coded("MemberRefParent"), "string", "blob"],
  [T.Constant]: [2, coded("HasConstant"), "blob"],
  [T.CustomAttribute]: [coded("HasCustomAttribute"), coded("CustomAttributeType"), "blob"],
  [T.FieldMarshal]: [coded("HasFieldMarshal"), "blob"],
  [T.DeclSecurity]: [2, coded("HasDeclSecurity"), "blob"],
  [T.ClassLayout]: [2, 4, idx(T.TypeDef)],
  [T.FieldLayout]: [4, idx(T.Field)],
  [T.StandAloneSig]: ["blob"],
  [T.EventMap]: [idx(T.TypeDef), idx(T.Event)],
  [T.EventPtr]: [idx(T.Event)],
  [T.Event]: [2, "string", coded("TypeDefOrRef")],
  [T.PropertyMap]: [idx(T.TypeDef), idx(T.Property)],
  [T.PropertyPtr]: [idx(T.Property)],
  [T.Property]: [2, "string", "blob"],
  [T.MethodSemantics]: [2, idx(T.MethodDef), coded("HasSemantics")],
  [T.MethodImpl]: [idx(T.TypeDef), coded("MethodDefOrRef"), coded("MethodDefOrRef")],
  [T.ModuleRef]: ["string"],
  [T.TypeSpec]: ["blob"],
  [T.ImplMap]: [2, coded("MemberForwarded"), "string", idx(T.ModuleRef)],
  [T.FieldRVA]: [4, idx(T.Field)],
  [T.EncLog]: [4, 4],
  [T.EncMap]: [4],
  [T.Assembly]: [4, 2, 2, 2, 2, 4, "blob", "string", "string"],
  [T.AssemblyProcessor]: [4],
  [T.AssemblyOS]: [4, 4, 4],
  [T.AssemblyRef]: [2, 2, 2, 2, 4, "blob", "string", "string", "blob"],
  [T.AssemblyRefProcessor]: [4, idx(T.AssemblyRef)],
  [T.AssemblyRefOS]: [4, 4, 4, idx(T.AssemblyRef)],
  [T.File]: [4, "string", "blob"],
  [T.ExportedType]: [4, 4, "string", "string", coded("Implementation")],
  [T.ManifestResource]: [4, 4, "string", coded("Implementation")],
  [T.NestedClass]: [idx(T.TypeDef), idx(T.TypeDef)],
  [T.GenericParam]: [2, 2, coded("TypeOrMethodDef"), "string"],
  [T.MethodSpec]: [coded("MethodDefOrRef"), "blob"],
  [T.GenericParamConstraint]: [idx(T.GenericParam), coded("TypeDefOrRef")],
};

interface TableInfo {
  readonly rows: number;
  readonly offset: number;
  readonly rowSize: number;
  readonly columns: readonly { readonly column: Column; readonly size: number; readonly at: number }[];
}

/** IL operand sizes of one-byte opcodes (partition III); `T` = metadata token, `S` = switch table. */
const ONE_BYTE_OPERANDS = buildOneByteOperands();
const TWO_BYTE_OPERANDS = buildTwoByteOperands();
type Operand = number | "T" | "S";

function buildOneByteOperands(): Map<number, Operand> {
  const m = new Map<number, Operand>();
  for (let op = 0x00; op <= 0xe0; op += 1) m.set(op, 0);
  for (const op of [0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x1f, 0xde]) m.set(op, 1);
  for (let op = 0x2b; op <= 0x37; op += 1) m.set(op, 1); // br.s .. blt.un.s
  for (let op = 0x38; op <= 0x44; op += 1) m.set(op, 4); // br .. blt.un
  for (const op of [0x20, 0x22, 0xdd]) m.set(op, 4); // ldc.i4, ldc.r4, leave
  for (const op of [0x21, 0x23]) m.set(op, 8); // ldc.i8, ldc.r8
  m.set(0x45, "S");
  // Token operands: jmp call calli callvirt cpobj ldobj ldstr newobj castclass isinst unbox ldfld ldflda
  // stfld ldsfld ldsflda stsfld stobj box newarr ldelema ldelem stelem unbox.any refanyval mkrefany ldtoken.
  for (const op of [
    0x27, 0x28, 0x29, 0x6f, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x79, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80,
    0x81, 0x8c, 0x8d, 0x8f, 0xa3, 0xa4, 0xa5, 0xc2, 0xc6, 0xd0,
  ]) {
    m.set(op, "T");
  }
  return m;
}

function buildTwoByteOperands(): Map<number, Operand> {
  const m = new Map<number, Operand>();
  for (let op = 0x00; op <= 0x1e; op += 1) m.set(op, 0);
  for (const op of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e]) m.set(op, 2);
  for (const op of [0x12, 0x19]) m.set(op, 1);
  for (const op of [0x06, 0x07, 0x15, 0x16, 0x1c]) m.set(op, "T"); // ldftn ldvirtftn initobj constrained. sizeof
  return m;
}

/** Tokens that carry no type or member (string literals, stand-alone signatures of calli). */
const IGNORED_TOKEN_TABLES = new Set([0x70, T.StandAloneSig]);

export class AssemblyMetadata {
  private readonly view: DataView;
  private readonly sections: { va: number; size: number; raw: number }[] = [];
  private readonly tables = new Map<number, TableInfo>();
  private stringsOffset = 0;
  private blobOffset = 0;
  private stringIndexSize = 2;
  private guidIndexSize = 2;
  private blobIndexSize = 2;
  private readonly typeNames = new Map<string, string>();

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readPe();
  }

  // --- file format (partition II, 25) ---

  private readPe(): void {
    if (this.u16(0) !== 0x5a4d) throw new MetadataError("not a PE file (no MZ header)");
    const pe = this.u32(0x3c);
    if (this.u32(pe) !== 0x00004550) throw new MetadataError("not a PE file (no PE signature)");
    const sectionCount = this.u16(pe + 6);
    const optionalSize = this.u16(pe + 20);
    const optional = pe + 24;
    const magic = this.u16(optional);
    const directories = optional + (magic === 0x20b ? 112 : 96);
    const cliRva = this.u32(directories + 14 * 8);
    const sectionTable = optional + optionalSize;
    for (let s = 0; s < sectionCount; s += 1) {
      const at = sectionTable + s * 40;
      this.sections.push({
        va: this.u32(at + 12),
        size: Math.max(this.u32(at + 8), this.u32(at + 16)),
        raw: this.u32(at + 20),
      });
    }
    if (cliRva === 0) throw new MetadataError("not a .NET assembly (no CLI header)");
    const cli = this.rva(cliRva);
    const metadata = this.rva(this.u32(cli + 8));
    this.readMetadataRoot(metadata);
  }

  private readMetadataRoot(root: number): void {
    if (this.u32(root) !== 0x424a5342) throw new MetadataError("bad metadata signature");
    const versionLength = this.u32(root + 12);
    let at = root + 16 + versionLength;
    const streamCount = this.u16(at + 2);
    at += 4;
    let tablesStream = -1;
    for (let s = 0; s < streamCount; s += 1) {
      const offset = this.u32(at);
      let nameEnd = at + 8;
      while (this.bytes[nameEnd] !== 0) nameEnd += 1;
      const name = String.fromCharCode(...this.bytes.subarray(at + 8, nameEnd));
      if (name === "#~" || name === "#-") tablesStream = root + offset;
      else if (name === "#Strings") this.stringsOffset = root + offset;
      else if (name === "#Blob") this.blobOffset = root + offset;
      at = nameEnd + 1;
      at += (4 - ((at - root) % 4)) % 4;
    }
    if (tablesStream < 0) throw new MetadataError("no #~ stream");
    this.readTables(tablesStream);
  }

  private readTables(stream: number): void {
    const heapSizes = this.bytes[stream + 6] ?? 0;
    this.stringIndexSize = heapSizes & 0x01 ? 4 : 2;
    this.guidIndexSize = heapSizes & 0x02 ? 4 : 2;
    this.blobIndexSize = heapSizes & 0x04 ? 4 : 2;
    const validLow = this.u32(stream + 8);
    const validHigh = this.u32(stream + 12);
    const rowCounts = new Map<number, number>();
    let at = stream + 24;
    for (let table = 0; table < 64; table += 1) {
      const present = table < 32 ? (validLow >>> table) & 1 : (validHigh >>> (table - 32)) & 1;
      if (!present) continue;
      rowCounts.set(table, this.u32(at));
      at += 4;
    }
    for (let table = 0; table < 64; table += 1) {
      const rows = rowCounts.get(table);
      if (rows === undefined) continue;
      const schema = SCHEMA[table];
      if (schema === undefined) throw new MetadataError(`unknown metadata table 0x${table.toString(16)}`);
      let rowSize = 0;
      const columns = schema.map((column) => {
        const size = this.columnSize(column, rowCounts);
        const entry = { column, size, at: rowSize };
        rowSize += size;
        return entry;
      });
      this.tables.set(table, { rows, offset: at, rowSize, columns });
      at += rows * rowSize;
    }
  }

  private columnSize(column: Column, rowCounts: Map<number, number>): number {
    if (typeof column === "number") return column;
    if (column === "string") return this.stringIndexSize;
    if (column === "guid") return this.guidIndexSize;
    if (column === "blob") return this.blobIndexSize;
    if (column.startsWith("t:")) return (rowCounts.get(Number(column.slice(2))) ?? 0) < 0x10000 ? 2 : 4;
    const spec = CODED[column.slice(2)];
    if (spec === undefined) throw new MetadataError(`unknown coded index ${column}`);
    const max = Math.max(0, ...spec.tables.map((t) => (t < 0 ? 0 : (rowCounts.get(t) ?? 0))));
    return max < 1 << (16 - spec.bits) ? 2 : 4;
  }

  private rva(rva: number): number {
    for (const section of this.sections) {
      if (rva >= section.va && rva < section.va + section.size) return rva - section.va + section.raw;
    }
    throw new MetadataError(`RVA 0x${rva.toString(16)} is in no section`);
  }

  private u8(at: number): number {
    const value = this.bytes[at];
    if (value === undefined) throw new MetadataError(`read past the end of the file at ${at}`);
    return value;
  }

  private u16(at: number): number {
    return this.view.getUint16(at, true);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  // --- tables ---

  rowCount(table: number): number {
    return this.tables.get(table)?.rows ?? 0;
  }

  /** Column values of a row (1-based): numbers for everything (heap offsets, raw coded indexes). */
  private row(table: number, row: number): number[] {
    const info = this.tables.get(table);
    if (info === undefined || row < 1 || row > info.rows) {
      throw new MetadataError(`row ${row} of table 0x${table.toString(16)} does not exist`);
    }
    const base = info.offset + (row - 1) * info.rowSize;
    return info.columns.map(({ size, at }) =>
      size === 1 ? this.u8(base + at) : size === 2 ? this.u16(base + at) : this.u32(base + at),
    );
  }

  private decodeCoded(name: keyof typeof CODED, value: number): { table: number; row: number } {
    const spec = CODED[name];
    if (spec === undefined) throw new MetadataError(`unknown coded index ${name}`);
    const table = spec.tables[value & ((1 << spec.bits) - 1)];
    if (table === undefined || table < 0) throw new MetadataError(`bad ${name} tag in ${value}`);
    return { table, row: value >>> spec.bits };
  }

  private string(offset: number): string {
    let end = this.stringsOffset + offset;
    while (this.bytes[end] !== 0) end += 1;
    return new TextDecoder().decode(this.bytes.subarray(this.stringsOffset + offset, end));
  }

  private blob(offset: number): Uint8Array {
    const start = this.blobOffset + offset;
    const { value: length, size } = compressedUint(this.bytes, start);
    return this.bytes.subarray(start + size, start + size + length);
  }

  // --- names ---

  typeRefName(row: number): string {
    const key = `r${row}`;
    const cached = this.typeNames.get(key);
    if (cached !== undefined) return cached;
    const [scope = 0, name = 0, namespace = 0] = this.row(T.TypeRef, row);
    const resolution = this.decodeCoded("ResolutionScope", scope);
    const simple = this.string(name);
    const full =
      resolution.table === T.TypeRef && resolution.row > 0
        ? `${this.typeRefName(resolution.row)}.${simple}`
        : joinName(this.string(namespace), simple);
    this.typeNames.set(key, full);
    return full;
  }

  typeDefName(row: number): string {
    const key = `d${row}`;
    const cached = this.typeNames.get(key);
    if (cached !== undefined) return cached;
    const [, name = 0, namespace = 0] = this.row(T.TypeDef, row);
    const enclosing = this.enclosingTypes().get(row);
    const simple = this.string(name);
    const full =
      enclosing !== undefined
        ? `${this.typeDefName(enclosing)}.${simple}`
        : joinName(this.string(namespace), simple);
    this.typeNames.set(key, full);
    return full;
  }

  private enclosing?: Map<number, number>;

  private enclosingTypes(): Map<number, number> {
    if (this.enclosing === undefined) {
      this.enclosing = new Map();
      for (let r = 1; r <= this.rowCount(T.NestedClass); r += 1) {
        const [nested = 0, outer = 0] = this.row(T.NestedClass, r);
        this.enclosing.set(nested, outer);
      }
    }
    return this.enclosing;
  }

  private typeDefLists?: { fields: number[]; methods: number[] };

  /** FieldList and MethodList of every TypeDef (index 0 is row 1). */
  private lists(): { fields: number[]; methods: number[] } {
    if (this.typeDefLists === undefined) {
      const fields: number[] = [];
      const methods: number[] = [];
      for (let r = 1; r <= this.rowCount(T.TypeDef); r += 1) {
        const row = this.row(T.TypeDef, r);
        fields.push(row[4] ?? 1);
        methods.push(row[5] ?? 1);
      }
      this.typeDefLists = { fields, methods };
    }
    return this.typeDefLists;
  }

  /** Every TypeDef with its methods (the `<Module>` pseudo-type included). */
  typeDefinitions(): TypeDefinition[] {
    const { methods } = this.lists();
    const methodCount = this.rowCount(T.MethodDef);
    return methods.map((first, index) => {
      const row = index + 1;
      const next = methods[index + 1] ?? methodCount + 1;
      const methodRows: number[] = [];
      for (let m = first; m < next && m <= methodCount; m += 1) methodRows.push(m);
      const enclosing = this.enclosingTypes().get(row);
      return {
        row,
        name: this.typeDefName(row),
        methodRows,
        ...(enclosing === undefined ? {} : { enclosing }),
      };
    });
  }

  /** The TypeDef whose list (FieldList or MethodList) holds `member`: the last one starting at or before it. */
  private owner(starts: readonly number[], member: number): number {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if ((starts[mid] ?? 0) <= member) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  private methodOwner(methodRow: number): number {
    return this.owner(this.lists().methods, methodRow);
  }

  private fieldOwner(fieldRow: number): number {
    return this.owner(this.lists().fields, fieldRow);
  }

  methodName(row: number): string {
    return this.string(this.row(T.MethodDef, row)[3] ?? 0);
  }

  // --- signatures (partition II, 23.2) ---

  private typeDefOrRef(table: number, row: number, args: readonly TypeSig[] = []): TypeSig {
    if (table === T.TypeDef) return { kind: "named", name: this.typeDefName(row), local: true, row, args };
    if (table === T.TypeRef) return { kind: "named", name: this.typeRefName(row), local: false, args };
    if (table === T.TypeSpec) return this.typeSpec(row);
    throw new MetadataError(`table 0x${table.toString(16)} does not hold types`);
  }

  typeSpec(row: number): TypeSig {
    const blob = this.blob(this.row(T.TypeSpec, row)[0] ?? 0);
    return new SignatureReader(blob, this).type();
  }

  /** @internal used by SignatureReader */
  encodedType(value: number, args: readonly TypeSig[] = []): TypeSig {
    const table = [T.TypeDef, T.TypeRef, T.TypeSpec][value & 3];
    if (table === undefined) throw new MetadataError(`bad TypeDefOrRefOrSpecEncoded ${value}`);
    return this.typeDefOrRef(table, value >>> 2, args);
  }

  private methodSpecArgs(blob: Uint8Array): TypeSig[] {
    const reader = new SignatureReader(blob, this);
    if (reader.byte() !== 0x0a) throw new MetadataError("MethodSpec blob without GENERICINST");
    const count = reader.uint();
    const args: TypeSig[] = [];
    for (let i = 0; i < count; i += 1) args.push(reader.type());
    return args;
  }

  private localsSignature(token: number): TypeSig[] {
    if (token === 0 || token >>> 24 !== T.StandAloneSig) return [];
    const blob = this.blob(this.row(T.StandAloneSig, token & 0xffffff)[0] ?? 0);
    const reader = new SignatureReader(blob, this);
    if (reader.byte() !== 0x07) return [];
    const count = reader.uint();
    const types: TypeSig[] = [];
    for (let i = 0; i < count; i += 1) types.push(reader.localType());
    return types;
  }

  /** Resolves an IL metadata token to what it refers to. */
  resolve(token: number): Reference {
    const table = token >>> 24;
    const row = token & 0xffffff;
    switch (table) {
      case T.TypeDef:
      case T.TypeRef:
      case T.TypeSpec:
        return { kind: "type", type: this.typeDefOrRef(table, row) };
      case T.MemberRef: {
        const [parent = 0, name = 0, signature = 0] = this.row(T.MemberRef, row);
        const owner = this.decodeCoded("MemberRefParent", parent);
        const declaringType =
          owner.table === T.MethodDef
            ? this.typeDefOrRef(T.TypeDef, this.methodOwner(owner.row))
            : owner.table === T.ModuleRef
              ? ({ kind: "named", name: "<module>", local: false, args: [] } as const)
              : this.typeDefOrRef(owner.table, owner.row);
        return {
          kind: "member",
          declaringType,
          name: this.string(name),
          methodArgs: [],
          local: false,
          ...parameterCount(this.blob(signature)),
        };
      }
      case T.MethodDef:
        return {
          kind: "member",
          declaringType: this.typeDefOrRef(T.TypeDef, this.methodOwner(row)),
          name: this.methodName(row),
          methodArgs: [],
          local: true,
          ...parameterCount(this.blob(this.row(T.MethodDef, row)[4] ?? 0)),
        };
      case T.Field: {
        const [, name = 0] = this.row(T.Field, row);
        return {
          kind: "member",
          declaringType: this.typeDefOrRef(T.TypeDef, this.fieldOwner(row)),
          name: this.string(name),
          methodArgs: [],
          local: true,
        };
      }
      case T.MethodSpec: {
        const [method = 0, instantiation = 0] = this.row(T.MethodSpec, row);
        const target = this.decodeCoded("MethodDefOrRef", method);
        const resolved = this.resolve((target.table << 24) | target.row);
        if (resolved.kind !== "member") return { kind: "unresolved", token };
        return { ...resolved, methodArgs: this.methodSpecArgs(this.blob(instantiation)) };
      }
      default:
        return { kind: "unresolved", token };
    }
  }

  // --- method bodies (partition II, 25.4) ---

  /** What the body of a MethodDef refers to: IL tokens, local variable types and catch clause types. */
  methodReferences(methodRow: number): Reference[] {
    const [rva = 0] = this.row(T.MethodDef, methodRow);
    if (rva === 0) return [];
    const at = this.rva(rva);
    const header = this.u8(at);
    let codeStart: number;
    let codeSize: number;
    let localsToken = 0;
    let moreSections = false;
    if ((header & 0x03) === 0x02) {
      codeStart = at + 1;
      codeSize = header >>> 2;
    } else {
      const flags = this.u16(at) & 0x0fff;
      const headerSize = (this.u16(at) >>> 12) * 4;
      codeSize = this.u32(at + 4);
      localsToken = this.u32(at + 8);
      codeStart = at + headerSize;
      moreSections = (flags & 0x08) !== 0;
    }
    const references: Reference[] = this.localsSignature(localsToken).map((type) => ({ kind: "type", type }));
    for (const token of this.ilTokens(codeStart, codeSize)) {
      if (!IGNORED_TOKEN_TABLES.has(token >>> 24)) references.push(this.resolve(token));
    }
    if (moreSections) {
      for (const token of this.catchTypeTokens(codeStart + codeSize)) references.push(this.resolve(token));
    }
    return references;
  }

  private *ilTokens(start: number, size: number): Generator<number> {
    let i = start;
    const end = start + size;
    while (i < end) {
      let operand: Operand | undefined;
      const op = this.u8(i);
      if (op === 0xfe) {
        operand = TWO_BYTE_OPERANDS.get(this.u8(i + 1));
        i += 2;
      } else {
        operand = ONE_BYTE_OPERANDS.get(op);
        i += 1;
      }
      if (operand === undefined) throw new MetadataError(`unknown IL opcode at offset ${i - start}`);
      if (operand === "T") {
        yield this.u32(i);
        i += 4;
      } else if (operand === "S") {
        i += 4 + this.u32(i) * 4;
      } else i += operand;
    }
  }

  private *catchTypeTokens(afterCode: number): Generator<number> {
    let at = (afterCode + 3) & ~3;
    for (;;) {
      const kind = this.u8(at);
      const fat = (kind & 0x40) !== 0;
      const dataSize = fat ? this.u32(at) >>> 8 : this.u8(at + 1);
      const clauseSize = fat ? 24 : 12;
      const clauses = Math.floor((dataSize - 4) / clauseSize);
      for (let c = 0; c < clauses; c += 1) {
        const clause = at + 4 + c * clauseSize;
        const flags = fat ? this.u32(clause) : this.u16(clause);
        const classToken = this.u32(clause + (fat ? 20 : 8));
        if (flags === 0 && classToken !== 0) yield classToken;
      }
      if ((kind & 0x80) === 0) return;
      at = (at + dataSize + 3) & ~3;
    }
  }
}

/** A method signature's parameter count; nothing for a field signature (partition II, 23.2.1-4). */
function parameterCount(signature: Uint8Array): { parameterCount?: number } {
  const callingConvention = signature[0];
  if (callingConvention === undefined || (callingConvention & 0x0f) === 0x06) return {};
  let at = 1;
  if (callingConvention & 0x10) at += compressedUint(signature, at).size;
  return { parameterCount: compressedUint(signature, at).value };
}

function joinName(namespace: string, name: string): string {
  return namespace === "" ? name : `${namespace}.${name}`;
}

function compressedUint(bytes: Uint8Array, at: number): { value: number; size: number } {
  const first = bytes[at] ?? 0;
  if ((first & 0x80) === 0) return { value: first, size: 1 };
  if ((first & 0xc0) === 0x80) return { value: ((first & 0x3f) << 8) | (bytes[at + 1] ?? 0), size: 2 };
  return {
    value:
      ((first & 0x1f) << 24) |
      ((bytes[at + 1] ?? 0) << 16) |
      ((bytes[at + 2] ?? 0) << 8) |
      (bytes[at + 3] ?? 0),
    size: 4,
  };
}

class SignatureReader {
  private at = 0;

  constructor(
    private readonly blob: Uint8Array,
    private readonly metadata: AssemblyMetadata,
  ) {}

  byte(): number {
    const value = this.blob[this.at];
    if (value === undefined) throw new MetadataError("signature ends early");
    this.at += 1;
    return value;
  }

  uint(): number {
    const { value, size } = compressedUint(this.blob, this.at);
    this.at += size;
    return value;
  }

  private skipCustomModifiers(): void {
    while (this.blob[this.at] === 0x1f || this.blob[this.at] === 0x20) {
      this.at += 1;
      this.uint();
    }
  }

  /** A local variable: custom modifiers, `pinned`, `byref`, then a type (or `typedbyref`). */
  localType(): TypeSig {
    this.skipCustomModifiers();
    if (this.blob[this.at] === 0x45) this.at += 1;
    this.skipCustomModifiers();
    if (this.blob[this.at] === 0x10) {
      this.at += 1;
      return { kind: "byref", element: this.type() };
    }
    return this.type();
  }

  type(): TypeSig {
    this.skipCustomModifiers();
    const element = this.byte();
    const primitive = PRIMITIVES[element];
    if (primitive !== undefined) return { kind: "primitive", name: primitive };
    switch (element) {
      case 0x0f:
        return { kind: "pointer", element: this.type() };
      case 0x10:
        return { kind: "byref", element: this.type() };
      case 0x11:
      case 0x12:
        return this.metadata.encodedType(this.uint());
      case 0x13:
        return { kind: "generic-parameter", index: this.uint(), method: false };
      case 0x1e:
        return { kind: "generic-parameter", index: this.uint(), method: true };
      case 0x14: {
        const arrayElement = this.type();
        this.uint(); // rank
        const sizes = this.uint();
        for (let i = 0; i < sizes; i += 1) this.uint();
        const bounds = this.uint();
        for (let i = 0; i < bounds; i += 1) this.uint();
        return { kind: "array", element: arrayElement };
      }
      case 0x15: {
        this.byte(); // CLASS or VALUETYPE
        const generic = this.uint();
        const count = this.uint();
        const args: TypeSig[] = [];
        for (let i = 0; i < count; i += 1) args.push(this.type());
        return this.metadata.encodedType(generic, args);
      }
      case 0x16:
        return { kind: "typed-reference" };
      case 0x1b:
        return { kind: "function-pointer" };
      case 0x1d:
        return { kind: "array", element: this.type() };
      default:
        throw new MetadataError(`unsupported element type 0x${element.toString(16)} in a signature`);
    }
  }
}

/** `Dictionary\`2<String, String[]>` style, for messages. */
export function typeName(type: TypeSig): string {
  switch (type.kind) {
    case "primitive":
      return type.name;
    case "named":
      return type.args.length === 0
        ? type.name
        : `${type.name.replace(/`\d+$/, "")}<${type.args.map(typeName).join(", ")}>`;
    case "array":
      return `${typeName(type.element)}[]`;
    case "pointer":
      return `${typeName(type.element)}*`;
    case "byref":
      return `ref ${typeName(type.element)}`;
    case "generic-parameter":
      return `${type.method ? "!!" : "!"}${type.index}`;
    case "function-pointer":
      return "function pointer";
    case "typed-reference":
      return "System.TypedReference";
  }
}
