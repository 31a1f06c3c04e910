using System.Globalization;
using System.Xml.Linq;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>
/// Writes scenario results as JUnit XML for CI: one <c>testsuite</c> per scenario, one <c>testcase</c> per step (a
/// failed step carries a <c>failure</c> with its message, a step not run a <c>skipped</c>; a scenario that could not
/// start has an <c>error</c> on a <c>setup</c> testcase).
/// </summary>
internal static class ScenarioJUnitReport
{
    public static XDocument Create(IReadOnlyList<ScenarioResult> results)
    {
        XElement suites = new(
            "testsuites",
            new XAttribute("name", "kobbopay-sim run"),
            new XAttribute("tests", results.Sum(Tests)),
            new XAttribute("failures", results.Sum(r => r.Steps.Count(s => s.Outcome == ScenarioStepOutcome.Failed))),
            new XAttribute("errors", results.Count(r => r.Error is not null)),
            new XAttribute("skipped", results.Sum(r => r.Steps.Count(s => s.Outcome == ScenarioStepOutcome.Skipped))),
            new XAttribute("time", Seconds(TimeSpan.FromTicks(results.Sum(r => r.Duration.Ticks)))));
        foreach (ScenarioResult result in results)
        {
            string name = result.Scenario.Name;
            XElement suite = new(
                "testsuite",
                new XAttribute("name", name),
                new XAttribute("tests", Tests(result)),
                new XAttribute("failures", result.Steps.Count(s => s.Outcome == ScenarioStepOutcome.Failed)),
                new XAttribute("errors", result.Error is null ? 0 : 1),
                new XAttribute("skipped", result.Steps.Count(s => s.Outcome == ScenarioStepOutcome.Skipped)),
                new XAttribute("time", Seconds(result.Duration)));
            if (result.Scenario.Source is { } source)
            {
                suite.Add(new XAttribute("file", source));
            }

            if (result.Error is { } error)
            {
                suite.Add(new XElement("testcase", new XAttribute("name", "setup"), new XAttribute("classname", name), new XAttribute("time", "0"), new XElement("error", new XAttribute("message", error), error)));
            }

            foreach (ScenarioStepResult step in result.Steps)
            {
                XElement testCase = new("testcase", new XAttribute("name", step.Title), new XAttribute("classname", name), new XAttribute("time", Seconds(step.Duration)));
                if (step.Outcome == ScenarioStepOutcome.Failed)
                {
                    testCase.Add(new XElement("failure", new XAttribute("message", step.Message ?? step.Title), step.Message));
                }
                else if (step.Outcome == ScenarioStepOutcome.Skipped)
                {
                    testCase.Add(new XElement("skipped", new XAttribute("message", "an earlier step failed")));
                }

                suite.Add(testCase);
            }

            suites.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    private static int Tests(ScenarioResult result) => result.Steps.Count + (result.Error is null ? 0 : 1);

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
