"""A tiny H.264 (Constrained Baseline, CAVLC) encoder for flat-colour frames, standard
library only.

It is not a general encoder: it writes pictures made of rectangles whose edges lie on the
16-pixel macroblock grid, which is what the sample videos are, and it writes them exactly.

* An intra (IDR) frame codes a macroblock as ``I_16x16`` with no residual when the
  macroblock to its left (horizontal prediction) or above it (vertical prediction) has the
  same colour, since prediction then reproduces it exactly; otherwise as ``I_PCM``, whose
  samples are stored as they are. A flat frame costs about a byte per macroblock.
* A repeat (P) frame skips every macroblock: with no motion it copies the previous frame,
  for a few bytes.
* The deblocking filter is off, so colours are not blended at rectangle edges.

Frames whose width or height is not a multiple of 16 are coded larger and cropped by the
sequence parameter set. Colours are BT.601 limited-range Y'CbCr 4:2:0, what a decoder
assumes when the stream does not say.
"""

from __future__ import annotations

from dataclasses import dataclass

from roasloop.media.png import RGB, Picture

MB = 16
PROFILE_BASELINE = 66
#: constraint_set0_flag and constraint_set1_flag: Constrained Baseline.
CONSTRAINTS = 0b1100_0000
LOG2_MAX_FRAME_NUM = 8
I_PCM = 25
PRED_VERTICAL, PRED_HORIZONTAL = 0, 1
CHROMA_HORIZONTAL, CHROMA_VERTICAL = 1, 2
NAL_SLICE, NAL_IDR, NAL_SPS, NAL_PPS = 1, 5, 7, 8
SLICE_P, SLICE_I = 0, 2
YCbCr = tuple[int, int, int]


class BitWriter:
    """Big-endian bit packing with the Exp-Golomb codes of H.264 (``ue(v)``, ``se(v)``)."""

    def __init__(self) -> None:
        self._out = bytearray()
        self._acc = 0
        self._bits = 0

    def u(self, bits: int, value: int) -> None:
        """``value`` in ``bits`` bits."""
        self._acc = (self._acc << bits) | value
        self._bits += bits
        while self._bits >= 8:
            self._bits -= 8
            self._out.append((self._acc >> self._bits) & 0xFF)
        self._acc &= (1 << self._bits) - 1

    def ue(self, value: int) -> None:
        """Unsigned Exp-Golomb: ``n`` zeros, then ``value + 1`` in ``n + 1`` bits."""
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        """Signed Exp-Golomb: 1, -1, 2, -2 … map to 1, 2, 3, 4 …"""
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align(self) -> None:
        """Zero bits up to the next byte boundary."""
        if self._bits:
            self.u(8 - self._bits, 0)

    def raw(self, data: bytes) -> None:
        """Whole bytes, at a byte boundary."""
        assert self._bits == 0, "raw bytes must start on a byte boundary"
        self._out += data

    def rbsp(self) -> bytes:
        """The bytes so far, closed by ``rbsp_trailing_bits`` (a 1, then zeros)."""
        self.u(1, 1)
        self.align()
        return bytes(self._out)


def nal_unit(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    """A NAL unit (header byte and payload, no start code) with emulation prevention: a
    0x03 goes after any two zero bytes that a byte ≤ 0x03 follows."""
    out = bytearray([(ref_idc << 5) | kind])
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def ycbcr(colour: RGB) -> YCbCr:
    """BT.601 limited-range Y'CbCr of an 8-bit RGB colour (never 0: old decoders refuse 0 in
    I_PCM samples)."""
    r, g, b = (c / 255 for c in colour)
    y = 16 + 65.481 * r + 128.553 * g + 24.966 * b
    cb = 128 - 37.797 * r - 74.203 * g + 112.0 * b
    cr = 128 + 112.0 * r - 93.786 * g - 18.214 * b
    return (round(y), round(cb), round(cr))


@dataclass(frozen=True, slots=True)
class Encoder:
    """Writes one stream of ``width`` × ``height`` frames (level 4.0: up to 8192 macroblocks,
    e.g. 1080 × 1920, at 30 frames a second)."""

    width: int
    height: int

    @property
    def mbs_wide(self) -> int:
        """Macroblock columns of the coded frame."""
        return -(-self.width // MB)

    @property
    def mbs_high(self) -> int:
        """Macroblock rows of the coded frame."""
        return -(-self.height // MB)

    def sps(self) -> bytes:
        """The sequence parameter set NAL unit."""
        bits = BitWriter()
        bits.u(8, PROFILE_BASELINE)
        bits.u(8, CONSTRAINTS)
        bits.u(8, 40)  # level_idc 4.0
        bits.ue(0)  # seq_parameter_set_id
        bits.ue(LOG2_MAX_FRAME_NUM - 4)
        bits.ue(2)  # pic_order_cnt_type 2: output order is decoding order
        bits.ue(1)  # max_num_ref_frames
        bits.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
        bits.ue(self.mbs_wide - 1)
        bits.ue(self.mbs_high - 1)
        bits.u(1, 1)  # frame_mbs_only_flag
        bits.u(1, 1)  # direct_8x8_inference_flag
        crop_right = (self.mbs_wide * MB - self.width) // 2  # in 4:2:0 crop units of 2
        crop_bottom = (self.mbs_high * MB - self.height) // 2
        bits.u(1, 1 if crop_right or crop_bottom else 0)
        if crop_right or crop_bottom:
            for offset in (0, crop_right, 0, crop_bottom):  # left, right, top, bottom
                bits.ue(offset)
        bits.u(1, 0)  # vui_parameters_present_flag
        return nal_unit(3, NAL_SPS, bits.rbsp())

    def pps(self) -> bytes:
        """The picture parameter set NAL unit."""
        bits = BitWriter()
        bits.ue(0)  # pic_parameter_set_id
        bits.ue(0)  # seq_parameter_set_id
        bits.u(1, 0)  # entropy_coding_mode_flag: CAVLC
        bits.u(1, 0)  # bottom_field_pic_order_in_frame_present_flag
        bits.ue(0)  # num_slice_groups_minus1
        bits.ue(0)  # num_ref_idx_l0_default_active_minus1
        bits.ue(0)  # num_ref_idx_l1_default_active_minus1
        bits.u(1, 0)  # weighted_pred_flag
        bits.u(2, 0)  # weighted_bipred_idc
        bits.se(0)  # pic_init_qp_minus26
        bits.se(0)  # pic_init_qs_minus26
        bits.se(0)  # chroma_qp_index_offset
        bits.u(1, 1)  # deblocking_filter_control_present_flag
        bits.u(1, 0)  # constrained_intra_pred_flag
        bits.u(1, 0)  # redundant_pic_cnt_present_flag
        return nal_unit(3, NAL_PPS, bits.rbsp())

    def colours(self, picture: Picture) -> list[list[YCbCr]]:
        """The colour of each macroblock (that of its top-left pixel), row by row."""
        return [
            [ycbcr(picture.colour_at(MB * x, MB * y)) for x in range(self.mbs_wide)]
            for y in range(self.mbs_high)
        ]

    def intra(self, picture: Picture, idr_pic_id: int) -> bytes:
        """An IDR frame showing ``picture`` (its rectangles on the macroblock grid)."""
        grid = self.colours(picture)
        bits = BitWriter()
        self._slice_header(bits, SLICE_I, frame_num=0, idr_pic_id=idr_pic_id)
        pcm = [[False] * self.mbs_wide for _ in range(self.mbs_high)]
        for y, row in enumerate(grid):
            for x, colour in enumerate(row):
                if x and row[x - 1] == colour:
                    self._predicted(bits, PRED_HORIZONTAL, CHROMA_HORIZONTAL, pcm, x, y)
                elif y and grid[y - 1][x] == colour:
                    self._predicted(bits, PRED_VERTICAL, CHROMA_VERTICAL, pcm, x, y)
                else:
                    pcm[y][x] = True
                    bits.ue(I_PCM)
                    bits.align()  # pcm_alignment_zero_bit
                    luma, cb, cr = colour
                    bits.raw(bytes([luma]) * 256 + bytes([cb]) * 64 + bytes([cr]) * 64)
        return nal_unit(3, NAL_IDR, bits.rbsp())

    def repeat(self, frame_num: int) -> bytes:
        """A P frame that skips every macroblock: the previous frame again."""
        bits = BitWriter()
        self._slice_header(bits, SLICE_P, frame_num=frame_num, idr_pic_id=None)
        bits.ue(self.mbs_wide * self.mbs_high)  # mb_skip_run
        return nal_unit(2, NAL_SLICE, bits.rbsp())

    def _slice_header(
        self, bits: BitWriter, slice_type: int, *, frame_num: int, idr_pic_id: int | None
    ) -> None:
        bits.ue(0)  # first_mb_in_slice
        bits.ue(slice_type)
        bits.ue(0)  # pic_parameter_set_id
        bits.u(LOG2_MAX_FRAME_NUM, frame_num % (1 << LOG2_MAX_FRAME_NUM))
        if idr_pic_id is not None:
            bits.ue(idr_pic_id)
        if slice_type == SLICE_P:
            bits.u(1, 0)  # num_ref_idx_active_override_flag
            bits.u(1, 0)  # ref_pic_list_modification_flag_l0
        if idr_pic_id is not None:
            bits.u(1, 0)  # no_output_of_prior_pics_flag
            bits.u(1, 0)  # long_term_reference_flag
        else:
            bits.u(1, 0)  # adaptive_ref_pic_marking_mode_flag
        bits.se(0)  # slice_qp_delta
        bits.ue(1)  # disable_deblocking_filter_idc: off

    def _predicted(
        self,
        bits: BitWriter,
        luma_mode: int,
        chroma_mode: int,
        pcm: list[list[bool]],
        x: int,
        y: int,
    ) -> None:
        """An I_16x16 macroblock with no residual (coded_block_pattern 0)."""
        bits.ue(1 + luma_mode)  # mb_type I_16x16_<mode>_0_0
        bits.ue(chroma_mode)  # intra_chroma_pred_mode
        bits.se(0)  # mb_qp_delta
        # The DC block's coeff_token for "no coefficients" depends on nC, the coefficient
        # counts of the blocks left of and above it: 16 in an I_PCM macroblock, 0 here.
        neighbours = ((x - 1, y), (x, y - 1))
        counts = [16 if pcm[ny][nx] else 0 for nx, ny in neighbours if nx >= 0 and ny >= 0]
        n_c = (sum(counts) + 1) >> 1 if len(counts) == 2 else sum(counts)
        if n_c < 2:
            bits.u(1, 0b1)
        elif n_c < 4:
            bits.u(2, 0b11)
        elif n_c < 8:
            bits.u(4, 0b1111)
        else:
            bits.u(6, 0b000011)
