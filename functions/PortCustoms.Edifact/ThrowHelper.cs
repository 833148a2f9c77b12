using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace PortCustoms.Edifact;

/// <summary>What went wrong in the tokenizer; the text lives here, out of the hot path.</summary>
internal enum ExceptionResource : byte
{
    SegmentTooLong,
    UnterminatedSegment,
    ServiceStringAdviceTruncated,
    ServiceStringAdviceInvalid,
}

internal static class ThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowEdifactException(ExceptionResource resource, EdifactPosition position, int limit = 0) =>
        throw CreateEdifactException(resource, position, limit);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowInvalidOperationException_NoValue(EdifactTokenType tokenType) =>
        throw new InvalidOperationException($"The current token ({tokenType}) has no value.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowArgumentException_DestinationTooShort(string paramName) =>
        throw new ArgumentException("The destination is too short for the unescaped value.", paramName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EdifactException CreateEdifactException(ExceptionResource resource, EdifactPosition position, int limit)
    {
        (string code, string text, int? syntaxErrorCode) = resource switch
        {
            ExceptionResource.SegmentTooLong => (
                EdifactErrorCodes.SegmentTooLong,
                string.Create(CultureInfo.InvariantCulture, $"Segment longer than {limit} bytes; is a segment terminator missing?"),
                EdifactSyntaxErrorCodes.DataElementTooLong),
            ExceptionResource.UnterminatedSegment => (
                EdifactErrorCodes.UnterminatedSegment,
                "The data ends inside a segment: the segment terminator is missing.",
                EdifactSyntaxErrorCodes.Missing),
            ExceptionResource.ServiceStringAdviceTruncated => (
                EdifactErrorCodes.ServiceStringAdviceTruncated,
                "The data ends inside the UNA service string advice.",
                EdifactSyntaxErrorCodes.Missing),
            _ => (
                EdifactErrorCodes.ServiceStringAdviceInvalid,
                "The UNA service string advice repeats a service character or uses a space as a separator.",
                EdifactSyntaxErrorCodes.InvalidServiceCharacters),
        };
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{text} Line: {position.Line} | ByteOffset: {position.ByteOffset} | Segment: {position.Segment} | Element: {position.Element} | Component: {position.Component}.");
        return new EdifactException(code, message, position, syntaxErrorCode);
    }
}
