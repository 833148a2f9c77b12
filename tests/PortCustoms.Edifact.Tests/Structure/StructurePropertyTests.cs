using CsCheck;
using PortCustoms.Edifact.Contrl;
using PortCustoms.Edifact.Structure;

namespace PortCustoms.Edifact.Tests.Structure;

/// <summary>Properties over random instances generated from every carried table.</summary>
public sealed class StructurePropertyTests
{
    private static readonly StructureValidator Validator = new();

    private static readonly MessageStructure[] Structures =
        [.. MessageStructureCatalog.Default.Keys.Select(k => MessageStructureCatalog.Default.TryGetStructure(k, out MessageStructure? s) ? s : throw new InvalidOperationException())];

    private static readonly Gen<(MessageStructure Structure, GeneratedSegment[] Segments)> Instances =
        Gen.OneOfConst(Structures).SelectMany(s => InstanceGenerator.Random(s).Select(segments => (s, segments)));

    [Fact]
    public void Random_valid_instances_validate_clean_and_resolve_where_they_were_generated()
    {
        Instances.Sample(
            instance =>
            {
                List<StructureSegment> message = InstanceGenerator.ToMessage(instance.Structure, instance.Segments);

                StructureValidationResult result = Validator.Validate(message, SyntaxVersion(instance.Structure));

                Assert.Empty(result.Findings);
                Assert.Equal(instance.Segments.Select(s => s.Path), result.Placements.Select(p => p.ToString()));
            },
            iter: 300,
            print: Print);
    }

    [Fact]
    public void Removing_a_mandatory_segment_reports_it_missing_where_it_was()
    {
        Gen<(MessageStructure Structure, GeneratedSegment[] Segments, int Removed)> withRemoval =
            from instance in Instances
            let candidates = Enumerable.Range(0, instance.Segments.Length).Where(i => instance.Segments[i].IsSoleMandatory).ToArray()
            from removed in Gen.OneOfConst(candidates)
            select (instance.Structure, instance.Segments, removed);

        withRemoval.Sample(
            instance =>
            {
                List<StructureSegment> full = InstanceGenerator.ToMessage(instance.Structure, instance.Segments);
                string tag = full[instance.Removed].Tag;
                List<StructureSegment> message = Edi.Renumber(full.Where((_, i) => i != instance.Removed));

                StructureValidationResult result = Validator.Validate(message, SyntaxVersion(instance.Structure));

                Assert.Contains(
                    result.Findings,
                    f => f.Code == StructureFindingCodes.MissingSegment && f.SegmentTag == tag && f.SegmentPosition == instance.Removed + 1);
            },
            iter: 300,
            print: i => Print((i.Structure, i.Segments)) + " removed #" + (i.Removed + 1));
    }

    [Fact]
    public void The_functional_CONTRL_for_any_damaged_instance_rejects_it_and_fits_the_CONTRL_table()
    {
        Gen<(MessageStructure Structure, GeneratedSegment[] Segments, int Removed)> damaged =
            from instance in Instances
            from removed in Gen.Int[1, instance.Segments.Length - 1]
            select (instance.Structure, instance.Segments, removed);

        damaged.Sample(
            instance =>
            {
                List<StructureSegment> full = InstanceGenerator.ToMessage(instance.Structure, instance.Segments);
                List<StructureSegment> message = Edi.Renumber(full.Where((_, i) => i != instance.Removed));
                StructureValidationResult result = Validator.Validate(message, SyntaxVersion(instance.Structure));
                var interchange = new ContrlInterchange("IC1", new("S"), new("R"), [result.ToContrlReport()]);

                ContrlMessage contrl = ContrlBuilder.BuildFunctional(interchange, "C1");
                StructureValidationResult check = Validator.Validate([.. contrl.Segments.Select((s, i) => new StructureSegment(s.Tag, s.Elements, i + 1))]);

                Assert.Empty(check.Findings);
                string action = contrl.Segments.Single(s => s.Tag == "UCM").Elements[2][0];
                Assert.Equal(result.HasErrors ? "4" : "7", action);
            },
            iter: 200,
            print: i => Print((i.Structure, i.Segments)) + " removed #" + (i.Removed + 1));
    }

    private static int SyntaxVersion(MessageStructure structure) => structure.Key.Version == "4" ? 4 : 3;

    private static string Print((MessageStructure Structure, GeneratedSegment[] Segments) instance) =>
        instance.Structure.Key + ": " + string.Join(" ", instance.Segments.Select(s => s.Path));
}
