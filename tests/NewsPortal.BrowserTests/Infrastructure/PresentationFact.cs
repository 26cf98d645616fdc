namespace NewsPortal.BrowserTests.Infrastructure;

/// <summary>
/// A fact about how pages look and are reached (markup, styles, themes, focus, axe): run on the SQLite pass and skipped
/// on the PostgreSQL one. Both stores serve the same seeded pages from the same templates; the journeys, which read and
/// write the store, run on both. A second run of these cost CI about five minutes of two busy cores and could find nothing new.
/// </summary>
public sealed class PresentationFactAttribute : FactAttribute
{
    public PresentationFactAttribute() => Skip = PortalServer.PresentationSkip;
}

/// <summary>A theory about how pages look and are reached: see <see cref="PresentationFactAttribute"/>.</summary>
public sealed class PresentationTheoryAttribute : TheoryAttribute
{
    public PresentationTheoryAttribute() => Skip = PortalServer.PresentationSkip;
}
