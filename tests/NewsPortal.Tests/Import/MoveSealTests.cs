using NewsPortal.Web.Import;

namespace NewsPortal.Tests.Import;

/// <summary>The passphrase seal on a store move's secrets (see <see cref="StoreMoveTests"/> for the move itself).</summary>
public sealed class MoveSealTests
{
    private const string Passphrase = "harbour lights at dawn";

    [Fact]
    public void ASealedValue_OpensOnlyAsWhatItWasSealedAs_AndNotOnceChanged()
    {
        var seal = new MoveSeal(Passphrase);
        var sealedKey = seal.Seal("JBSWY3DPEHPK3PXP", MoveSeal.AuthenticatorKey);
        var changed = sealedKey[..^4] + (sealedKey[^4] == 'A' ? "B" : "A") + sealedKey[^3..];

        Assert.Equal(("JBSWY3DPEHPK3PXP", null), MoveSeal.Open(new MoveSeal(Passphrase), sealedKey, MoveSeal.AuthenticatorKey));
        Assert.NotNull(MoveSeal.Open(seal, sealedKey, MoveSeal.WebhookSecret).Problem);
        Assert.NotNull(MoveSeal.Open(seal, changed, MoveSeal.AuthenticatorKey).Problem);
        Assert.NotNull(MoveSeal.Open(seal, "sealed:not base64!", MoveSeal.AuthenticatorKey).Problem);
    }

    [Fact]
    public void AnImportOpensTheSecretsOfSixteenExports_AndNoMore_RatherThanDrawAKeyForEveryLine()
    {
        var sealedValues = Enumerable.Range(0, 17).Select(i => new MoveSeal(Passphrase).Seal($"secret {i}", MoveSeal.WebhookSecret)).ToList();
        var import = new MoveSeal(Passphrase);

        var opened = sealedValues.Select(v => MoveSeal.Open(import, v, MoveSeal.WebhookSecret)).ToList();

        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"secret {i}"), opened.Take(16).Select(o => o.Value));
        Assert.Equal((null, "its signing secret does not open with the passphrase given (not the one it was exported with, or the line was changed)"), opened[16]);
    }
}
