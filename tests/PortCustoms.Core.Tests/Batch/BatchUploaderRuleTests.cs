using PortCustoms.Core.Batch;

namespace PortCustoms.Core.Tests.Batch;

public sealed class BatchUploaderRuleTests
{
    private static BatchOptions Checked() => new()
    {
        UploaderIdentity = BatchUploaderIdentity.SftpOwner,
        Brokers = { ["acme"] = new BatchBrokerOptions { SftpUserId = "1001" }, ["bolt"] = new BatchBrokerOptions { SftpUserId = "1002" } },
    };

    [Theory]
    [InlineData("acme", "1001", false, true)]
    [InlineData("acme", "1002", false, false)]
    [InlineData("acme", null, false, false)]
    [InlineData("acme", "", false, false)]
    [InlineData("unknown", "1001", false, false)]
    [InlineData("acme", "1002", true, true)]
    public void Only_the_folders_own_SFTP_user_or_a_recorded_operator_replay_is_attributed_to_the_broker(string broker, string? owner, bool replay, bool allowed)
    {
        Assert.Equal(allowed, BatchUploader.Problem(Checked(), broker, owner, replay) is null);
    }

    [Fact]
    public void Unchecked_identity_attributes_every_file_to_its_folder()
    {
        Assert.Null(BatchUploader.Problem(new BatchOptions(), "acme", owner: null, operatorReplay: false));
    }

    [Fact]
    public void One_SFTP_user_for_two_brokers_or_a_non_numeric_id_is_refused_at_start()
    {
        var options = Checked();
        options.Brokers["bolt"].SftpUserId = "1001";
        options.Brokers["carr"] = new BatchBrokerOptions { SftpUserId = "carr" };
        options.Default.SftpUserId = "1003";

        var problems = options.Validate();

        Assert.Contains(problems, p => p.Contains("Batch:Brokers:bolt:SftpUserId 1001 is also broker 'acme'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Batch:Brokers:carr:SftpUserId must be the local user's numeric user id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Batch:Default:SftpUserId", StringComparison.Ordinal));
    }
}
