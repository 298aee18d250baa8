using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace MarketplaceMigration.Engine.Tests.Unit;

/// <summary>
/// Which namespaces of an assembly use which, read from its metadata and IL: base types, interfaces,
/// fields, signatures, locals, attributes and every type, method or field a method body names. A
/// source-level look (usings) would miss a relative name such as <c>State.RunOptions</c> and count an
/// unused using; compiler-generated types (lambdas, async state machines) count for the type they serve.
/// </summary>
internal sealed class NamespaceDependencies
{
    private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private readonly MetadataReader _reader;
    private readonly string _prefix;

    private NamespaceDependencies(MetadataReader reader, string prefix)
    {
        _reader = reader;
        _prefix = prefix;
    }

    /// <summary>Namespace → the namespaces it uses (of the assembly's own, below <paramref name="prefix"/>), with one type that shows each use.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Read(string assemblyPath, string prefix)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var self = new NamespaceDependencies(reader, prefix);
        var edges = new Dictionary<string, Dictionary<string, string>>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var from = self.NamespaceOf(handle);
            if (from is null) continue;
            if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new Dictionary<string, string>();
            var user = self.Name(handle);
            foreach (var used in self.TypesUsedBy(handle, pe))
            {
                var to = self.NamespaceOf(used);
                if (to != null && to != from) targets.TryAdd(to, $"{user} uses {self.Name(used)}");
            }
        }

        return edges.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, string>)e.Value);
    }

    /// <summary>The assembly names an assembly references.</summary>
    public static IReadOnlyList<string> References(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
    }

    private string? NamespaceOf(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        while (type.IsNested) type = _reader.GetTypeDefinition(type.GetDeclaringType());
        var ns = _reader.GetString(type.Namespace);
        return ns.StartsWith(_prefix, StringComparison.Ordinal) ? ns.Substring(_prefix.Length) : null;
    }

    private string Name(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        while (type.IsNested) type = _reader.GetTypeDefinition(type.GetDeclaringType());
        return _reader.GetString(type.Name);
    }

    private IEnumerable<TypeDefinitionHandle> TypesUsedBy(TypeDefinitionHandle handle, PEReader pe)
    {
        var found = new HashSet<TypeDefinitionHandle>();
        var type = _reader.GetTypeDefinition(handle);
        AddType(type.BaseType, found);
        foreach (var i in type.GetInterfaceImplementations()) AddType(_reader.GetInterfaceImplementation(i).Interface, found);
        AddAttributes(type.GetCustomAttributes(), found);
        foreach (var f in type.GetFields())
        {
            var field = _reader.GetFieldDefinition(f);
            AddSignature(field.Signature, found);
            AddAttributes(field.GetCustomAttributes(), found);
        }

        foreach (var p in type.GetProperties()) AddSignature(_reader.GetPropertyDefinition(p).Signature, found);
        foreach (var m in type.GetMethods())
        {
            var method = _reader.GetMethodDefinition(m);
            AddSignature(method.Signature, found);
            AddAttributes(method.GetCustomAttributes(), found);
            if (method.RelativeVirtualAddress == 0) continue;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil) AddSignature(_reader.GetStandaloneSignature(body.LocalSignature).Signature, found);
            foreach (var token in Tokens(body.GetILBytes()!)) AddToken(token, found);
        }

        return found;
    }

    private static IEnumerable<int> Tokens(byte[] il)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            var operand = Operands[value];
            switch (operand)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    yield return BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    i += 4;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
            }
        }
    }

    private void AddToken(int token, HashSet<TypeDefinitionHandle> found)
    {
        var handle = MetadataTokens.EntityHandle(token);
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
            case HandleKind.TypeSpecification:
                AddType(handle, found);
                break;
            case HandleKind.MethodDefinition:
                found.Add(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                found.Add(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                AddToken(MetadataTokens.GetToken(member.Parent), found);
                AddSignature(member.Signature, found);
                break;
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                AddToken(MetadataTokens.GetToken(spec.Method), found);
                AddSignature(spec.Signature, found);
                break;
        }
    }

    private void AddType(EntityHandle handle, HashSet<TypeDefinitionHandle> found)
    {
        if (handle.IsNil) return;
        if (handle.Kind == HandleKind.TypeDefinition) found.Add((TypeDefinitionHandle)handle);
        else if (handle.Kind == HandleKind.TypeSpecification)
        {
            var blob = _reader.GetBlobReader(_reader.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
            new SignatureDecoder<bool, object?>(new Collector(found), _reader, null).DecodeType(ref blob);
        }
    }

    private void AddAttributes(CustomAttributeHandleCollection attributes, HashSet<TypeDefinitionHandle> found)
    {
        foreach (var a in attributes) AddToken(MetadataTokens.GetToken(_reader.GetCustomAttribute(a).Constructor), found);
    }

    /// <summary>Every type definition token in a signature blob (compressed tokens after CLASS, VALUETYPE and the like).</summary>
    private void AddSignature(BlobHandle blob, HashSet<TypeDefinitionHandle> found)
    {
        if (blob.IsNil) return;
        var signature = _reader.GetBlobReader(blob);
        var provider = new Collector(found);
        var header = signature.ReadSignatureHeader();
        signature.Reset();
        var decoder = new SignatureDecoder<bool, object?>(provider, _reader, null);
        switch (header.Kind)
        {
            case SignatureKind.Method:
            case SignatureKind.Property:
                decoder.DecodeMethodSignature(ref signature);
                break;
            case SignatureKind.Field:
                decoder.DecodeFieldSignature(ref signature);
                break;
            case SignatureKind.LocalVariables:
                decoder.DecodeLocalSignature(ref signature);
                break;
            case SignatureKind.MethodSpecification:
                decoder.DecodeMethodSpecificationSignature(ref signature);
                break;
            default:
                decoder.DecodeType(ref signature);
                break;
        }
    }

    private sealed class Collector : ISignatureTypeProvider<bool, object?>
    {
        private readonly HashSet<TypeDefinitionHandle> _found;

        public Collector(HashSet<TypeDefinitionHandle> found) => _found = found;

        public bool GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => _found.Add(handle);

        public bool GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => false;

        public bool GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
            return new SignatureDecoder<bool, object?>(this, reader, context).DecodeType(ref blob);
        }

        public bool GetArrayType(bool elementType, ArrayShape shape) => false;

        public bool GetByReferenceType(bool elementType) => false;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => false;

        public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => false;

        public bool GetGenericMethodParameter(object? genericContext, int index) => false;

        public bool GetGenericTypeParameter(object? genericContext, int index) => false;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => false;

        public bool GetPinnedType(bool elementType) => false;

        public bool GetPointerType(bool elementType) => false;

        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => false;

        public bool GetSZArrayType(bool elementType) => false;
    }
}
