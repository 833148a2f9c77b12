using System.Text;
using System.Text.Json;

namespace PortCustoms.Cli.Tests;

internal static class CliFixtures
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A temporary file with the given content, deleted on dispose.</summary>
    public static TempFile Temp(string content, string extension = ".edi") => new(Encoding.Latin1.GetBytes(content), extension);

    public static JsonElement ParseJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

internal sealed class TempFile : IDisposable
{
    public TempFile(byte[] content, string extension)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portcustoms-cli-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(Path, content);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
