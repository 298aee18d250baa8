// netstandard2.0 lacks the attributes behind C# 11's required members; the compiler only needs them declared.
namespace System.Diagnostics.CodeAnalysis;

[AttributeUsage(AttributeTargets.Constructor, Inherited = false)]
internal sealed class SetsRequiredMembersAttribute : Attribute { }
