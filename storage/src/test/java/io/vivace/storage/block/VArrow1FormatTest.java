package io.vivace.storage.block;

/** Runs the format contract against vArrow1, the current format. */
class VArrow1FormatTest extends BlockFormatContract {
    @Override
    protected String format() {
        return BlockMeta.FORMAT_V_ARROW1;
    }
}
