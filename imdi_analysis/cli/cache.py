"""``imdi cache``: inspect or empty the store of validated extracts."""

from __future__ import annotations

import click


@click.group("cache")
def cache() -> None:
    """The store of validated extracts (Parquet copies of extracts that passed their schema)."""


@cache.command("info")
def info() -> None:
    """Show where the store is, whether it is used, and how many entries and bytes it holds."""
    from imdi_analysis.sources import validated_cache

    folder = validated_cache.cache_dir()
    entries = sorted(folder.glob(f"*{validated_cache.SUFFIX}")) if folder.is_dir() else []
    size = sum(path.stat().st_size for path in entries)
    state = "on" if validated_cache.enabled() else f"off ({validated_cache.SWITCH_ENV}=0)"
    click.echo(f"Validated store: {folder} ({state})")
    click.echo(f"{len(entries)} entries, {size / 2**20:.1f} MiB")


@cache.command("clear")
def clear() -> None:
    """Remove every entry; the next loads validate the extracts again."""
    from imdi_analysis.sources import validated_cache

    files, size = validated_cache.clear()
    click.echo(f"Removed {files} entries ({size / 2**20:.1f} MiB) from {validated_cache.cache_dir()}.")


COMMANDS = [cache]
