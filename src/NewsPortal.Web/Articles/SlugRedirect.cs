using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NewsPortal.Web.Articles;

/// <summary>An address a story had before an editor changed its slug: links to it still lead to the story.</summary>
public sealed class SlugRedirect
{
    public required string Slug { get; init; }
    public int ArticleId { get; init; }
    public Article? Article { get; init; }
}

public sealed class SlugRedirectConfiguration : IEntityTypeConfiguration<SlugRedirect>
{
    public void Configure(EntityTypeBuilder<SlugRedirect> builder)
    {
        builder.HasKey(r => r.Slug);
        builder.Property(r => r.Slug).HasMaxLength(Article.SlugMaxLength);
        builder.HasIndex(r => r.ArticleId);
        builder.HasOne(r => r.Article).WithMany().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}
