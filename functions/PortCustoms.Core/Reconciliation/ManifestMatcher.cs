using System.Globalization;
using System.Runtime.InteropServices;
using PortCustoms.Core.Manifests;
using PortCustoms.Core.Model;

namespace PortCustoms.Core.Reconciliation;

/// <summary>
/// Matches manifest entries against discharge-list rows by container number and names every discrepancy with the
/// evidence of both sides. A chunk is any subset closed under container number (<see cref="ChunkOf"/> keeps every
/// entry of a number in one chunk), so chunks are matched independently and their results simply concatenated.
/// Thread-safe; one dictionary pass per side, allocation only for what is reported.
/// </summary>
public sealed class ManifestMatcher
{
    private readonly ReconciliationOptions _options;

    private readonly SizeTypeNormalizer _sizeTypes;

    /// <param name="options">Tolerances.</param>
    /// <param name="codeLists">The deployment's code lists (size-types normalised with its overrides); the shipped lists when null.</param>
    public ManifestMatcher(ReconciliationOptions? options = null, CodeLists.CodeListService? codeLists = null)
    {
        _options = options ?? new ReconciliationOptions();
        _sizeTypes = codeLists is null ? SizeTypeNormalizer.Shipped : new SizeTypeNormalizer(codeLists.Lists.SizeTypes);
    }

    /// <summary>How this matcher normalises size-types.</summary>
    public SizeTypeNormalizer SizeTypes => _sizeTypes;

    /// <summary>
    /// The chunk of a container number in [0, <paramref name="chunkCount"/>): FNV-1a over the normalised number, the
    /// same in every process (string.GetHashCode is randomised per process, and activities run anywhere).
    /// </summary>
    public static int ChunkOf(string containerNumber, int chunkCount)
    {
        ArgumentNullException.ThrowIfNull(containerNumber);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkCount, 1);
        var key = Key(containerNumber);
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)chunkCount);
    }

    /// <summary>A container number as matched: trimmed and upper-case (terminals export "mscu 1234566" too rarely to care, "mscu1234566" often).</summary>
    public static string Key(string containerNumber)
    {
        ArgumentNullException.ThrowIfNull(containerNumber);
        foreach (var c in containerNumber)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                return containerNumber.Trim().ToUpperInvariant();
            }
        }
        return containerNumber;
    }

    private struct Slot
    {
        public int Manifest; // first index + 1; 0 = none
        public int ManifestCount;
        public int Discharge;
        public int DischargeCount;
    }

    /// <summary>The discrepancies between the entries and rows given (a whole call or one chunk of it), in report order.</summary>
    public List<Discrepancy> Match(IReadOnlyList<ManifestedContainer> manifested, IReadOnlyList<DischargedContainer> discharged)
    {
        ArgumentNullException.ThrowIfNull(manifested);
        ArgumentNullException.ThrowIfNull(discharged);
        var slots = new Dictionary<string, Slot>(manifested.Count + (discharged.Count / 16), StringComparer.Ordinal);
        Dictionary<string, List<int>>? manifestDuplicates = null;
        Dictionary<string, List<int>>? dischargeDuplicates = null;
        for (var i = 0; i < manifested.Count; i++)
        {
            var key = Key(manifested[i].ContainerNumber);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(slots, key, out _);
            if (++slot.ManifestCount == 1)
            {
                slot.Manifest = i + 1;
            }
            else
            {
                manifestDuplicates ??= new(StringComparer.Ordinal);
                if (!manifestDuplicates.TryGetValue(key, out var list))
                {
                    manifestDuplicates[key] = list = [slot.Manifest - 1];
                }
                list.Add(i);
            }
        }
        for (var i = 0; i < discharged.Count; i++)
        {
            var key = Key(discharged[i].ContainerNumber);
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(slots, key, out _);
            if (++slot.DischargeCount == 1)
            {
                slot.Discharge = i + 1;
            }
            else
            {
                dischargeDuplicates ??= new(StringComparer.Ordinal);
                if (!dischargeDuplicates.TryGetValue(key, out var list))
                {
                    dischargeDuplicates[key] = list = [slot.Discharge - 1];
                }
                list.Add(i);
            }
        }

        var found = new List<Discrepancy>();
        foreach (var (key, slot) in slots)
        {
            if (slot.ManifestCount > 1)
            {
                var entries = manifestDuplicates![key].Select(i => manifested[i].ToEvidence()).ToList();
                Add(found, DiscrepancyKind.DuplicateInManifest, key,
                    $"{key} is listed {slot.ManifestCount} times on the manifests of this call ({string.Join("; ", entries.Select(e => e.Source).Distinct())}); customs expects it once.",
                    entries, []);
            }
            if (slot.DischargeCount > 1)
            {
                var rows = dischargeDuplicates![key].Select(i => DischargeEvidence.From(discharged[i])).ToList();
                Add(found, DiscrepancyKind.DuplicateInDischargeList, key,
                    $"{key} appears {slot.DischargeCount} times in the discharge list (rows {string.Join(", ", rows.Select(r => r.Row))}); a container is discharged once.",
                    [], rows);
            }
            var manifest = slot.Manifest > 0 ? manifested[slot.Manifest - 1] : null;
            var discharge = slot.Discharge > 0 ? discharged[slot.Discharge - 1] : null;
            var error = ContainerNumber.Validate(key);
            if (error != ContainerNumberError.None)
            {
                // A number that is not ISO 6346 cannot be matched with confidence: say so on each side it appears.
                if (manifest is not null)
                {
                    Add(found, DiscrepancyKind.CheckDigitInManifest, key,
                        $"The manifest ({manifest.Source}) names container '{key}', which is not a valid container number: {ContainerNumber.Describe(error)}. Ask the carrier for the correct number.",
                        [manifest.ToEvidence()], []);
                }
                if (discharge is not null)
                {
                    Add(found, DiscrepancyKind.CheckDigitInDischargeList, key,
                        $"The discharge list (row {discharge.Row}) names container '{key}', which is not a valid container number: {ContainerNumber.Describe(error)}. Check the number on the container at the terminal.",
                        [], [DischargeEvidence.From(discharge)]);
                }
                continue;
            }
            if (discharge is null)
            {
                Add(found, DiscrepancyKind.ShortLanded, key,
                    $"{key} is on the manifest ({manifest!.Source}{(manifest.BillOfLading is { } bl ? $", bill of lading {bl}" : string.Empty)}) but the terminal did not discharge it.",
                    [manifest.ToEvidence()], []);
                continue;
            }
            if (manifest is null)
            {
                Add(found, DiscrepancyKind.OverLanded, key,
                    $"{key} was discharged (row {discharge.Row}{(discharge.DischargedAt is { } at ? $", {at:yyyy-MM-dd HH:mm zzz}" : string.Empty)}) but is on no manifest of this call.",
                    [], [DischargeEvidence.From(discharge)]);
                continue;
            }
            Compare(found, key, manifest, discharge);
        }
        found.Sort(ReportOrder);
        return found;
    }

    private void Compare(List<Discrepancy> found, string key, ManifestedContainer manifest, DischargedContainer discharge)
    {
        if (manifest.SealNumbers.Count > 0 && discharge.SealNumbers.Count > 0 && !SameSeals(manifest.SealNumbers, discharge.SealNumbers))
        {
            Add(found, DiscrepancyKind.SealMismatch, key,
                $"{key}: the manifest declares seal {string.Join(", ", manifest.SealNumbers)}; the terminal found seal {string.Join(", ", discharge.SealNumbers)} at discharge (row {discharge.Row}). The seal may have been broken or replaced.",
                [manifest.ToEvidence()], [DischargeEvidence.From(discharge)]);
        }
        if (manifest.GrossMassKg is { } declared && discharge.GrossMassKg is { } weighed)
        {
            var difference = weighed - declared;
            // Within the absolute tolerance needs no percentage (decimal division is the costliest step of a match).
            decimal allowed;
            if (Math.Abs(difference) > _options.GrossMassToleranceKg
                && Math.Abs(difference) > (allowed = Math.Max(_options.GrossMassToleranceKg, Math.Abs(declared) * _options.GrossMassTolerancePercent / 100m)))
            {
                var percent = declared == 0 ? string.Empty : $" ({Math.Abs(difference) / declared * 100m:0.#} %)";
                Add(found, DiscrepancyKind.GrossMassMismatch, key,
                    $"{key}: declared gross mass {Kg(declared)}, weighed {Kg(weighed)} at discharge (row {discharge.Row}): {Kg(Math.Abs(difference))}{percent} {(difference > 0 ? "heavier" : "lighter")}, beyond the tolerance of {Kg(allowed)}.",
                    [manifest.ToEvidence()], [DischargeEvidence.From(discharge)]);
            }
        }
        if (manifest.SizeType is { Length: > 0 } manifestType && discharge.SizeType is { Length: > 0 } dischargeType
            && !string.Equals(manifestType, dischargeType, StringComparison.Ordinal))
        {
            if (!string.Equals(_sizeTypes.Canonical(manifestType), _sizeTypes.Canonical(dischargeType), StringComparison.Ordinal))
            {
                var manifestMeaning = _sizeTypes.Normalize(manifestType).Meaning;
                var dischargeMeaning = _sizeTypes.Normalize(dischargeType).Meaning;
                Add(found, DiscrepancyKind.SizeTypeMismatch, key,
                    $"{key}: the manifest declares size-type {manifestType} ({manifestMeaning}); the terminal recorded {dischargeType} ({dischargeMeaning}) at discharge (row {discharge.Row}).",
                    [manifest.ToEvidence()], [DischargeEvidence.From(discharge)]);
            }
        }
        if (manifest.FullEmpty != FullEmpty.Unknown && discharge.FullEmpty != FullEmpty.Unknown && manifest.FullEmpty != discharge.FullEmpty)
        {
            Add(found, DiscrepancyKind.FullEmptyMismatch, key,
                $"{key}: declared {Word(manifest.FullEmpty)} on the manifest, discharged {Word(discharge.FullEmpty)} (row {discharge.Row}).",
                [manifest.ToEvidence()], [DischargeEvidence.From(discharge)]);
        }
    }

    private void Add(List<Discrepancy> found, DiscrepancyKind kind, string key, string description, IReadOnlyList<ManifestEvidence> manifest, IReadOnlyList<DischargeEvidence> discharge) =>
        found.Add(new Discrepancy
        {
            Kind = kind,
            ContainerNumber = key,
            Description = description,
            Critical = _options.IsCritical(kind),
            Manifest = manifest,
            Discharge = discharge,
        });

    /// <summary>Seals compared as sets, ignoring case, spaces and order (the terminal's scanner and the carrier's EDI never agree on those).</summary>
    internal static bool SameSeals(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        if (left.Count == right.Count)
        {
            var identical = true;
            for (var i = 0; i < left.Count && identical; i++)
            {
                identical = string.Equals(left[i], right[i], StringComparison.Ordinal);
            }
            if (identical)
            {
                return true;
            }
        }
        var a = left.Select(NormalizeSeal).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        var b = right.Select(NormalizeSeal).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        return a.SetEquals(b);
    }

    private static string NormalizeSeal(string seal) => string.Concat(seal.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    private static string Kg(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture) + " kg";

    private static string Word(FullEmpty value) => value == FullEmpty.Full ? "full" : "empty";

    /// <summary>The report's order: by kind, then container number, then first row.</summary>
    public static int ReportOrder(Discrepancy x, Discrepancy y)
    {
        var byKind = x.Kind.CompareTo(y.Kind);
        if (byKind != 0)
        {
            return byKind;
        }
        var byContainer = string.CompareOrdinal(x.ContainerNumber, y.ContainerNumber);
        if (byContainer != 0)
        {
            return byContainer;
        }
        var xRow = x.Discharge.Count > 0 ? x.Discharge[0].Row : 0;
        var yRow = y.Discharge.Count > 0 ? y.Discharge[0].Row : 0;
        return xRow != yRow ? xRow.CompareTo(yRow) : string.CompareOrdinal(x.FindingCode, y.FindingCode);
    }
}

/// <summary>
/// Size-type codes to one coding with the deployment's <c>size-types</c> list: ISO 6346 (1995) codes, 1984 four-digit
/// codes and trade aliases (shipped or from an override) all map to the 1995 code.
/// </summary>
public sealed class SizeTypeNormalizer(CodeLists.SizeTypeList sizeTypes)
{
    /// <summary>With the shipped list (offline tools and tests without overrides).</summary>
    public static SizeTypeNormalizer Shipped { get; } = new(CodeLists.CodeListSet.Shipped.SizeTypes);

    private readonly CodeLists.SizeTypeList _sizeTypes = sizeTypes ?? throw new ArgumentNullException(nameof(sizeTypes));

    // Known codes only (the list's size), so the cache cannot be grown by hostile input.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _knownCanonical = new(StringComparer.Ordinal);

    /// <summary>The canonical code alone, cached for the codes the list knows: the matcher's hot path.</summary>
    public string Canonical(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (_knownCanonical.TryGetValue(code, out var canonical))
        {
            return canonical;
        }
        canonical = Normalize(code).Canonical;
        if (code.Length == SizeTypeCode.Length && SizeTypeCode.TryParse(code, out var parsed) && _sizeTypes.Lookup(parsed).IsKnown)
        {
            _knownCanonical.TryAdd(code, canonical);
        }
        return canonical;
    }

    /// <summary>The canonical 1995 code and its meaning; an unknown or malformed code stays itself (compared as written).</summary>
    public (string Canonical, string Meaning) Normalize(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var trimmed = code.AsSpan().Trim();
        Span<char> text = stackalloc char[SizeTypeCode.Length];
        if (trimmed.Length != SizeTypeCode.Length)
        {
            return (code.Trim().ToUpperInvariant(), "not a size-type code");
        }
        trimmed.ToUpperInvariant(text);
        if (SizeTypeCode.TryParse(text, out var parsed) != SizeTypeCodeError.None)
        {
            return (code.Trim().ToUpperInvariant(), "not a size-type code");
        }
        var info = _sizeTypes.Lookup(parsed);
        return info.IsKnown ? (info.Canonical.ToString(), info.Description) : (parsed.ToString(), "a code not in the ISO 6346 lists known here");
    }
}
