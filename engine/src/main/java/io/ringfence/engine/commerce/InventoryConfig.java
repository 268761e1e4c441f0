package io.ringfence.engine.commerce;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code inventory:} section (stock per sku and warehouse, docs/orders.md "Inventory"), as bound from
 * YAML; {@link CommerceSpec#from} validates it.
 *
 * <pre>
 * inventory:
 *   enabled: true
 *   lowStock: 5              # available at or below this (and above 0): LOW; at or below 0: OUT
 *   lowStockBySku: {}        # per-sku thresholds, e.g. {"85123A": 20}
 *   oversell: flag           # flag (add reason OVERSELL) | review (also raise APPROVE to REVIEW) | ignore
 *   pushLevels: false        # also push LEVEL after every inventory event that crosses no threshold
 *   maxSkus: 100000          # skus held at once; a new sku beyond is not tracked (counted)
 *   idleTtl: 30d             # a sku without an inventory event or reservation change this long is forgotten (not while a warehouse holds units)
 * </pre>
 */
public final class InventoryConfig {
    public boolean enabled = true;
    public long lowStock = 5;
    public Map<String, Long> lowStockBySku = new LinkedHashMap<>();
    public String oversell = "flag";
    public boolean pushLevels;
    public int maxSkus = 100_000;
    public String idleTtl = "30d";
}
