using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace PortCustoms.Infra.Tests.Support;

/// <summary>
/// An in-memory configuration source that records every key the app asks for a value of: after the app has bound and
/// validated its options, a setting the infrastructure writes that was never asked for is one the app does not read.
/// </summary>
internal sealed class ReadTrackingConfigurationSource(IEnumerable<KeyValuePair<string, string?>> values) : IConfigurationSource
{
    public HashSet<string> KeysRead { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this, values);

    private sealed class Provider(ReadTrackingConfigurationSource source, IEnumerable<KeyValuePair<string, string?>> values)
        : MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = values })
    {
        public override bool TryGet(string key, out string? value)
        {
            lock (source.KeysRead)
            {
                source.KeysRead.Add(key);
            }

            return base.TryGet(key, out value);
        }
    }
}
