namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>Tests of scheduled runs count the runs on the static meter, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScheduledCollection
{
    public const string Name = "Scheduled reconciliation";
}
