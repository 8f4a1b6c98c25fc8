"""Number blocks: which PC issues which display numbers, proven on the share.

Each issuing PC owns a block of display numbers per lane and day (block 0 issues 001–999,
block 1 issues 1001–1999, …), so two PCs never issue the same number, even cut off from each
other. A block is a PC's only when the share says so: a claim file
``blocks/block-<n>-g<gen>.json`` created with exclusive creation (``xb``: of two PCs
creating the same name at the same moment, exactly one succeeds, on SMB as on a local disk).
The holder of a block is the claim with the highest generation; generation 2 and above only
come from an explicit take-over (``madoguchi init --take-block``, for a PC reinstalled after
its old disk is gone).

A PC set up while the share was unreachable has no proven block: it issues no ticket until
its sync has claimed one (the one it asked for if free, else the lowest free one). Refusing
is the only safe choice there: a block that "cannot collide" without asking the share does
not exist, and a visitor holding a number another visitor also holds is the failure the
center must never have. A PC already set up keeps issuing through any outage: its block was
proven before.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.sync.share import Share

_CLAIM = re.compile(r"^block-(\d{3})-g(\d{3})\.json$")
#: Blocks a site may have (block n issues n*1000+1 … n*1000+999 with the default size).
MAX_BLOCKS = 1000


@dataclass(frozen=True)
class Claim:
    """One claim file: who holds block ``block`` from generation ``generation`` on."""

    block: int
    generation: int
    node_id: str
    install: str
    name: str


class BlockTaken(Exception):
    """The block asked for is held by another PC."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(
            f"番号ブロック {claim.block} は端末 {claim.name}（{claim.node_id}）が使っています"
        )
        self.claim = claim


class BlockClaims:
    """The claims of one site.

    Args:
        share: the site's folder on the shared drive.
    """

    def __init__(self, share: Share) -> None:
        self.share = share

    def holders(self) -> dict[int, Claim]:
        """Returns block → its holder (the claim with the highest generation).

        Raises:
            OSError: the claims cannot be read now.
        """
        holders: dict[int, Claim] = {}
        folder = self.share.blocks
        if not folder.is_dir():
            return holders
        for path in folder.iterdir():
            match = _CLAIM.match(path.name)
            if match is None:
                continue
            claim = _read(path, int(match.group(1)), int(match.group(2)))
            if claim is None:
                continue
            held = holders.get(claim.block)
            if held is None or claim.generation > held.generation:
                holders[claim.block] = claim
        return holders

    def claim(self, block: int, node_id: str, install: str, name: str,
              take_over: bool = False) -> Claim:  # fmt: skip
        """Claims a block for a PC, exclusively.

        Args:
            take_over: take the block from its holder (a new generation), for a PC that
                replaces one whose disk is gone.

        Raises:
            BlockTaken: another PC holds the block (and ``take_over`` is not given).
            OSError: the share cannot be written now.
        """
        holder = self.holders().get(block)
        if holder is not None and (holder.node_id, holder.install) == (node_id, install):
            return holder
        if holder is not None and not take_over:
            raise BlockTaken(holder)
        generation = 1 if holder is None else holder.generation + 1
        claim = Claim(block, generation, node_id, install, name)
        self.share.blocks.mkdir(parents=True, exist_ok=True)
        path = self.share.blocks / f"block-{block:03d}-g{generation:03d}.json"
        body = json.dumps({"block": block, "generation": generation, "node_id": node_id,
                           "install": install, "name": name}).encode()  # fmt: skip
        try:
            with open(path, "xb") as f:  # exclusive: one of two PCs at the same moment
                f.write(body)
        except FileExistsError:
            raced = _read(path, block, generation)
            if raced is not None and (raced.node_id, raced.install) == (node_id, install):
                return raced
            raise BlockTaken(raced or claim) from None
        return claim

    def free_block(self, registry: dict[int, str], start: int = 0) -> int:
        """Returns the lowest block from ``start`` no PC holds, by claim or by registry
        (PCs set up before claims existed hold their block by their heartbeat only)."""
        held = set(self.holders()) | set(registry)
        for block in range(start, MAX_BLOCKS):
            if block not in held:
                return block
        raise BlockTaken(Claim(MAX_BLOCKS - 1, 0, "?", "?", "?"))


def _read(path: Path, block: int, generation: int) -> Claim | None:
    try:
        record: Any = json.loads(path.read_text(encoding="utf-8"))
        return Claim(block, generation, str(record["node_id"]), str(record["install"]),
                     str(record.get("name", "")))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None  # being written this instant, or unreadable: looked at again next round


@dataclass(frozen=True)
class SetupBlock:
    """The number block a PC gets at set-up, and what the person setting it up must know."""

    block: int
    proven: bool
    note: str = ""


def claim_at_setup(share: Share | None, registry_blocks: dict[int, str],
                   same_name: list[dict[str, Any]], node_id: str, install: str, name: str,
                   requested: int | None, take_over: bool) -> SetupBlock:  # fmt: skip
    """Chooses and claims the number block of a PC being set up.

    Args:
        share: the site's folder, or None for a PC without one (it is the only issuer).
        registry_blocks: blocks of PCs set up before claims existed, by their heartbeat.
        same_name: registry records of other PCs with this PC's name.
        requested: the block asked for (``--issuer-block``), or None for the lowest free.
        take_over: take ``requested`` from the PC holding it (its disk is gone).

    Raises:
        BlockTaken: the block asked for is another PC's (and no take-over was asked).
    """
    if share is None:
        return SetupBlock(requested or 0, True)
    try:
        share.check()
    except OSError:
        return SetupBlock(requested or 0, False,
                          "共有フォルダに接続できないため、番号ブロックは未確定です。共有フォルダに"
                          "つながった最初の同期で確定するまで、この端末では整理券を発行できません")  # fmt: skip
    claims = BlockClaims(share)
    note = ""
    if same_name and not take_over:
        blocks = "、".join(str(r.get("issuer_block")) for r in same_name)
        note = (f"同じ名前の端末（番号ブロック {blocks}）が登録されています。旧端末を撤去済みで番号を"
                f"引き継ぐときは --issuer-block {blocks} --take-block で設定し直してください")  # fmt: skip
    if requested is not None:
        legacy = registry_blocks.get(requested)
        held_by_heartbeat = legacy is not None and legacy != node_id
        if held_by_heartbeat and not take_over and requested not in claims.holders():
            raise BlockTaken(Claim(requested, 0, str(legacy), "", str(legacy)))
        if take_over and requested in registry_blocks and requested not in claims.holders():
            # held by a PC from before claims: its claim is made first, then taken over
            claims.claim(requested, registry_blocks[requested], "", "")
        claims.claim(requested, node_id, install, name, take_over=take_over)
        return SetupBlock(requested, True, note)
    start = claims.free_block(registry_blocks)
    for candidate in range(start, start + 20):
        try:
            claims.claim(candidate, node_id, install, name)
        except BlockTaken:
            continue
        return SetupBlock(candidate, True, note)
    raise BlockTaken(Claim(start, 0, "?", "?", "?"))
