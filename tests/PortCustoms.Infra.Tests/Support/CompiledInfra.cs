using System.Text.Json.Nodes;

namespace PortCustoms.Infra.Tests.Support;

/// <summary>
/// Compiles and lints infra/bicep once per test run (the Bicep CLI takes seconds per call) and exposes the ARM JSON.
/// Output goes to a temporary folder, never next to the sources.
/// </summary>
public sealed class CompiledInfra : IDisposable
{
    private readonly string _outDir = Directory.CreateTempSubdirectory("portcustoms-infra-").FullName;

    public CompiledInfra()
    {
        var bicep = RepoPaths.Bicep;
        MainBuild = BicepCli.Run(bicep, "build", "main.bicep", "--outfile", Out("main.json"));
        PolicyBuild = BicepCli.Run(bicep, "build", "policy.bicep", "--outfile", Out("policy.json"));
        DevParamsBuild = BicepCli.Run(bicep, "build-params", "dev.bicepparam", "--outfile", Out("dev.parameters.json"));
        ProdParamsBuild = BicepCli.Run(bicep, "build-params", "prod.bicepparam", "--outfile", Out("prod.parameters.json"));
        Lint = BicepCli.Run(bicep, "lint", "--pattern", "**/*.bicep");

        MainJson = Load("main.json");
        PolicyJson = Load("policy.json");
        DevParameters = Load("dev.parameters.json");
        ProdParameters = Load("prod.parameters.json");
    }

    internal BicepRun MainBuild { get; }

    internal BicepRun PolicyBuild { get; }

    internal BicepRun DevParamsBuild { get; }

    internal BicepRun ProdParamsBuild { get; }

    internal BicepRun Lint { get; }

    internal IReadOnlyList<BicepRun> AllRuns => [MainBuild, PolicyBuild, DevParamsBuild, ProdParamsBuild, Lint];

    public JsonObject MainJson { get; }

    public JsonObject PolicyJson { get; }

    /// <summary>The compiled dev.bicepparam (an ARM parameters file).</summary>
    public JsonObject DevParameters { get; }

    /// <summary>The compiled prod.bicepparam (an ARM parameters file).</summary>
    public JsonObject ProdParameters { get; }

    internal TemplateScope Main => Arm.Root(MainJson);

    internal TemplateScope MainWith(JsonObject parametersFile) => Arm.Root(MainJson, parametersFile["parameters"]!.AsObject());

    internal TemplateScope Policy => Arm.Root(PolicyJson);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_outDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private string Out(string file) => Path.Combine(_outDir, file);

    private JsonObject Load(string file)
    {
        var path = Out(file);
        return File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path))!.AsObject()
            : new JsonObject { ["missing"] = $"{file} was not produced; see the Bicep run output." };
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledInfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "Compiled infra";
}
