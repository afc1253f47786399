#!/usr/bin/env python3
# Trims a captured GET /fapi/v1/exchangeInfo (.json.gz) to what winiswin reads of USDT
# perpetuals (share/README.md); values are copied as Binance wrote them.
#   python3 tools/trim_exchange_info.py IN.json.gz > share/exchangeInfo_usdt_perpetuals_DATE.json
import gzip
import json
import sys

SYMBOL_FIELDS = ['symbol', 'contractType', 'status', 'baseAsset', 'quoteAsset', 'marginAsset',
                 'pricePrecision', 'quantityPrecision', 'liquidationFee']
FILTER_FIELDS = {'PRICE_FILTER': ['minPrice', 'maxPrice', 'tickSize'],
                 'LOT_SIZE': ['minQty', 'maxQty', 'stepSize'],
                 'MARKET_LOT_SIZE': ['minQty', 'maxQty', 'stepSize'],
                 'MIN_NOTIONAL': ['notional']}


def trimmed_filters(filters):
    kept = [dict([('filterType', f['filterType'])] + [(k, f[k]) for k in FILTER_FIELDS[f['filterType']]])
            for f in filters if f['filterType'] in FILTER_FIELDS]
    lot = [f for f in kept if f['filterType'] == 'LOT_SIZE']
    same_as_lot = lambda f: lot and {**f, 'filterType': 'LOT_SIZE'} == lot[0]
    # winiswin reads a missing MARKET_LOT_SIZE as LOT_SIZE's.
    return [f for f in kept if not (f['filterType'] == 'MARKET_LOT_SIZE' and same_as_lot(f))]


def main(source):
    info = json.load(gzip.open(source))
    rows = []
    for symbol in info['symbols']:
        if symbol['quoteAsset'] != 'USDT' or symbol['contractType'] != 'PERPETUAL' or symbol['status'] == 'PENDING_TRADING':
            continue  # not yet trading: no history to backtest
        kept = {k: symbol[k] for k in SYMBOL_FIELDS if k in symbol}
        kept['filters'] = trimmed_filters(symbol['filters'])
        rows.append(json.dumps(kept, separators=(',', ':')))
    sys.stdout.write('{"serverTime":%d,"symbols":[\n%s\n]}\n' % (info['serverTime'], ',\n'.join(rows)))


main(sys.argv[1])
