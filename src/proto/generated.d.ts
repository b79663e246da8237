// GENERATED declarations - do not edit. Produced by `node scripts/gen-proto.mjs` from proto/**/*.proto with
// `pbjs -t static-module -w esm -r kiln --keep-case --force-number --alt-comment --no-verify --no-delimited --no-typeurl --no-service` (+ --dts; JS without comments) and the post-processing in that script.
import * as $protobuf from "protobufjs/minimal.js";

/** Namespace containerd. */
export namespace containerd {

    /** Namespace services. */
    namespace services {

        /** Namespace content. */
        namespace content {

            /** Namespace v1. */
            namespace v1 {

                /**
                 * Properties of an Info.
                 * @deprecated Use containerd.services.content.v1.Info.$Properties instead.
                 */
                interface IInfo extends containerd.services.content.v1.Info.$Properties {
                }

                /** A committed blob. */
                class Info {

                    /**
                     * Constructs a new Info.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.Info.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Info digest. */
                    digest: string;

                    /** Info size. */
                    size: number;

                    /** Info created_at. */
                    created_at?: (google.protobuf.Timestamp.$Properties|null);

                    /** Info updated_at. */
                    updated_at?: (google.protobuf.Timestamp.$Properties|null);

                    /** Info labels. */
                    labels: { [k: string]: string };

                    /**
                     * Creates a new Info instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Info instance
                     */
                    static create(properties: containerd.services.content.v1.Info.$Shape): containerd.services.content.v1.Info & containerd.services.content.v1.Info.$Shape;
                    static create(properties?: containerd.services.content.v1.Info.$Properties): containerd.services.content.v1.Info;

                    /**
                     * Encodes the specified Info message. Does not implicitly {@link containerd.services.content.v1.Info.verify|verify} messages.
                     * @param message Info message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.Info.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an Info message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.Info & containerd.services.content.v1.Info.$Shape} Info
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.Info & containerd.services.content.v1.Info.$Shape;

                    /**
                     * Creates an Info message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Info
                     */
                    static fromObject(object: object): containerd.services.content.v1.Info;

                    /**
                     * Creates a plain object from an Info message. Also converts values to other types if specified.
                     * @param message Info
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.Info, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Info to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Info {

                    /** Properties of an Info. */
                    interface $Properties {

                        /** Info digest */
                        digest?: (string|null);

                        /** Info size */
                        size?: (number|null);

                        /** Info created_at */
                        created_at?: (google.protobuf.Timestamp.$Properties|null);

                        /** Info updated_at */
                        updated_at?: (google.protobuf.Timestamp.$Properties|null);

                        /** Info labels */
                        labels?: ({ [k: string]: string }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an Info. */
                    type $Shape = containerd.services.content.v1.Info.$Properties;
                }

                /**
                 * Properties of an InfoRequest.
                 * @deprecated Use containerd.services.content.v1.InfoRequest.$Properties instead.
                 */
                interface IInfoRequest extends containerd.services.content.v1.InfoRequest.$Properties {
                }

                /** Represents an InfoRequest. */
                class InfoRequest {

                    /**
                     * Constructs a new InfoRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.InfoRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** InfoRequest digest. */
                    digest: string;

                    /**
                     * Creates a new InfoRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns InfoRequest instance
                     */
                    static create(properties: containerd.services.content.v1.InfoRequest.$Shape): containerd.services.content.v1.InfoRequest & containerd.services.content.v1.InfoRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.InfoRequest.$Properties): containerd.services.content.v1.InfoRequest;

                    /**
                     * Encodes the specified InfoRequest message. Does not implicitly {@link containerd.services.content.v1.InfoRequest.verify|verify} messages.
                     * @param message InfoRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.InfoRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an InfoRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.InfoRequest & containerd.services.content.v1.InfoRequest.$Shape} InfoRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.InfoRequest & containerd.services.content.v1.InfoRequest.$Shape;

                    /**
                     * Creates an InfoRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns InfoRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.InfoRequest;

                    /**
                     * Creates a plain object from an InfoRequest message. Also converts values to other types if specified.
                     * @param message InfoRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.InfoRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this InfoRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace InfoRequest {

                    /** Properties of an InfoRequest. */
                    interface $Properties {

                        /** InfoRequest digest */
                        digest?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an InfoRequest. */
                    type $Shape = containerd.services.content.v1.InfoRequest.$Properties;
                }

                /**
                 * Properties of an InfoResponse.
                 * @deprecated Use containerd.services.content.v1.InfoResponse.$Properties instead.
                 */
                interface IInfoResponse extends containerd.services.content.v1.InfoResponse.$Properties {
                }

                /** Represents an InfoResponse. */
                class InfoResponse {

                    /**
                     * Constructs a new InfoResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.InfoResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** InfoResponse info. */
                    info?: (containerd.services.content.v1.Info.$Properties|null);

                    /**
                     * Creates a new InfoResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns InfoResponse instance
                     */
                    static create(properties: containerd.services.content.v1.InfoResponse.$Shape): containerd.services.content.v1.InfoResponse & containerd.services.content.v1.InfoResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.InfoResponse.$Properties): containerd.services.content.v1.InfoResponse;

                    /**
                     * Encodes the specified InfoResponse message. Does not implicitly {@link containerd.services.content.v1.InfoResponse.verify|verify} messages.
                     * @param message InfoResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.InfoResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an InfoResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.InfoResponse & containerd.services.content.v1.InfoResponse.$Shape} InfoResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.InfoResponse & containerd.services.content.v1.InfoResponse.$Shape;

                    /**
                     * Creates an InfoResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns InfoResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.InfoResponse;

                    /**
                     * Creates a plain object from an InfoResponse message. Also converts values to other types if specified.
                     * @param message InfoResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.InfoResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this InfoResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace InfoResponse {

                    /** Properties of an InfoResponse. */
                    interface $Properties {

                        /** InfoResponse info */
                        info?: (containerd.services.content.v1.Info.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an InfoResponse. */
                    type $Shape = containerd.services.content.v1.InfoResponse.$Properties;
                }

                /**
                 * Properties of an UpdateRequest.
                 * @deprecated Use containerd.services.content.v1.UpdateRequest.$Properties instead.
                 */
                interface IUpdateRequest extends containerd.services.content.v1.UpdateRequest.$Properties {
                }

                /** Represents an UpdateRequest. */
                class UpdateRequest {

                    /**
                     * Constructs a new UpdateRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.UpdateRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** UpdateRequest info. */
                    info?: (containerd.services.content.v1.Info.$Properties|null);

                    /** UpdateRequest update_mask. */
                    update_mask?: (google.protobuf.FieldMask.$Properties|null);

                    /**
                     * Creates a new UpdateRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns UpdateRequest instance
                     */
                    static create(properties: containerd.services.content.v1.UpdateRequest.$Shape): containerd.services.content.v1.UpdateRequest & containerd.services.content.v1.UpdateRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.UpdateRequest.$Properties): containerd.services.content.v1.UpdateRequest;

                    /**
                     * Encodes the specified UpdateRequest message. Does not implicitly {@link containerd.services.content.v1.UpdateRequest.verify|verify} messages.
                     * @param message UpdateRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.UpdateRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an UpdateRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.UpdateRequest & containerd.services.content.v1.UpdateRequest.$Shape} UpdateRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.UpdateRequest & containerd.services.content.v1.UpdateRequest.$Shape;

                    /**
                     * Creates an UpdateRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns UpdateRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.UpdateRequest;

                    /**
                     * Creates a plain object from an UpdateRequest message. Also converts values to other types if specified.
                     * @param message UpdateRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.UpdateRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this UpdateRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace UpdateRequest {

                    /** Properties of an UpdateRequest. */
                    interface $Properties {

                        /** UpdateRequest info */
                        info?: (containerd.services.content.v1.Info.$Properties|null);

                        /** UpdateRequest update_mask */
                        update_mask?: (google.protobuf.FieldMask.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an UpdateRequest. */
                    type $Shape = containerd.services.content.v1.UpdateRequest.$Properties;
                }

                /**
                 * Properties of an UpdateResponse.
                 * @deprecated Use containerd.services.content.v1.UpdateResponse.$Properties instead.
                 */
                interface IUpdateResponse extends containerd.services.content.v1.UpdateResponse.$Properties {
                }

                /** Represents an UpdateResponse. */
                class UpdateResponse {

                    /**
                     * Constructs a new UpdateResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.UpdateResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** UpdateResponse info. */
                    info?: (containerd.services.content.v1.Info.$Properties|null);

                    /**
                     * Creates a new UpdateResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns UpdateResponse instance
                     */
                    static create(properties: containerd.services.content.v1.UpdateResponse.$Shape): containerd.services.content.v1.UpdateResponse & containerd.services.content.v1.UpdateResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.UpdateResponse.$Properties): containerd.services.content.v1.UpdateResponse;

                    /**
                     * Encodes the specified UpdateResponse message. Does not implicitly {@link containerd.services.content.v1.UpdateResponse.verify|verify} messages.
                     * @param message UpdateResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.UpdateResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an UpdateResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.UpdateResponse & containerd.services.content.v1.UpdateResponse.$Shape} UpdateResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.UpdateResponse & containerd.services.content.v1.UpdateResponse.$Shape;

                    /**
                     * Creates an UpdateResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns UpdateResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.UpdateResponse;

                    /**
                     * Creates a plain object from an UpdateResponse message. Also converts values to other types if specified.
                     * @param message UpdateResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.UpdateResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this UpdateResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace UpdateResponse {

                    /** Properties of an UpdateResponse. */
                    interface $Properties {

                        /** UpdateResponse info */
                        info?: (containerd.services.content.v1.Info.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an UpdateResponse. */
                    type $Shape = containerd.services.content.v1.UpdateResponse.$Properties;
                }

                /**
                 * Properties of a ListContentRequest.
                 * @deprecated Use containerd.services.content.v1.ListContentRequest.$Properties instead.
                 */
                interface IListContentRequest extends containerd.services.content.v1.ListContentRequest.$Properties {
                }

                /** Represents a ListContentRequest. */
                class ListContentRequest {

                    /**
                     * Constructs a new ListContentRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.ListContentRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ListContentRequest filters. */
                    filters: string[];

                    /**
                     * Creates a new ListContentRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ListContentRequest instance
                     */
                    static create(properties: containerd.services.content.v1.ListContentRequest.$Shape): containerd.services.content.v1.ListContentRequest & containerd.services.content.v1.ListContentRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.ListContentRequest.$Properties): containerd.services.content.v1.ListContentRequest;

                    /**
                     * Encodes the specified ListContentRequest message. Does not implicitly {@link containerd.services.content.v1.ListContentRequest.verify|verify} messages.
                     * @param message ListContentRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.ListContentRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ListContentRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.ListContentRequest & containerd.services.content.v1.ListContentRequest.$Shape} ListContentRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.ListContentRequest & containerd.services.content.v1.ListContentRequest.$Shape;

                    /**
                     * Creates a ListContentRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ListContentRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.ListContentRequest;

                    /**
                     * Creates a plain object from a ListContentRequest message. Also converts values to other types if specified.
                     * @param message ListContentRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.ListContentRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ListContentRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ListContentRequest {

                    /** Properties of a ListContentRequest. */
                    interface $Properties {

                        /** ListContentRequest filters */
                        filters?: (string[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ListContentRequest. */
                    type $Shape = containerd.services.content.v1.ListContentRequest.$Properties;
                }

                /**
                 * Properties of a ListContentResponse.
                 * @deprecated Use containerd.services.content.v1.ListContentResponse.$Properties instead.
                 */
                interface IListContentResponse extends containerd.services.content.v1.ListContentResponse.$Properties {
                }

                /** Represents a ListContentResponse. */
                class ListContentResponse {

                    /**
                     * Constructs a new ListContentResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.ListContentResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ListContentResponse info. */
                    info: containerd.services.content.v1.Info.$Properties[];

                    /**
                     * Creates a new ListContentResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ListContentResponse instance
                     */
                    static create(properties: containerd.services.content.v1.ListContentResponse.$Shape): containerd.services.content.v1.ListContentResponse & containerd.services.content.v1.ListContentResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.ListContentResponse.$Properties): containerd.services.content.v1.ListContentResponse;

                    /**
                     * Encodes the specified ListContentResponse message. Does not implicitly {@link containerd.services.content.v1.ListContentResponse.verify|verify} messages.
                     * @param message ListContentResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.ListContentResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ListContentResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.ListContentResponse & containerd.services.content.v1.ListContentResponse.$Shape} ListContentResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.ListContentResponse & containerd.services.content.v1.ListContentResponse.$Shape;

                    /**
                     * Creates a ListContentResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ListContentResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.ListContentResponse;

                    /**
                     * Creates a plain object from a ListContentResponse message. Also converts values to other types if specified.
                     * @param message ListContentResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.ListContentResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ListContentResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ListContentResponse {

                    /** Properties of a ListContentResponse. */
                    interface $Properties {

                        /** ListContentResponse info */
                        info?: (containerd.services.content.v1.Info.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ListContentResponse. */
                    type $Shape = containerd.services.content.v1.ListContentResponse.$Properties;
                }

                /**
                 * Properties of a DeleteContentRequest.
                 * @deprecated Use containerd.services.content.v1.DeleteContentRequest.$Properties instead.
                 */
                interface IDeleteContentRequest extends containerd.services.content.v1.DeleteContentRequest.$Properties {
                }

                /** Represents a DeleteContentRequest. */
                class DeleteContentRequest {

                    /**
                     * Constructs a new DeleteContentRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.DeleteContentRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** DeleteContentRequest digest. */
                    digest: string;

                    /**
                     * Creates a new DeleteContentRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns DeleteContentRequest instance
                     */
                    static create(properties: containerd.services.content.v1.DeleteContentRequest.$Shape): containerd.services.content.v1.DeleteContentRequest & containerd.services.content.v1.DeleteContentRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.DeleteContentRequest.$Properties): containerd.services.content.v1.DeleteContentRequest;

                    /**
                     * Encodes the specified DeleteContentRequest message. Does not implicitly {@link containerd.services.content.v1.DeleteContentRequest.verify|verify} messages.
                     * @param message DeleteContentRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.DeleteContentRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a DeleteContentRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.DeleteContentRequest & containerd.services.content.v1.DeleteContentRequest.$Shape} DeleteContentRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.DeleteContentRequest & containerd.services.content.v1.DeleteContentRequest.$Shape;

                    /**
                     * Creates a DeleteContentRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns DeleteContentRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.DeleteContentRequest;

                    /**
                     * Creates a plain object from a DeleteContentRequest message. Also converts values to other types if specified.
                     * @param message DeleteContentRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.DeleteContentRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this DeleteContentRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace DeleteContentRequest {

                    /** Properties of a DeleteContentRequest. */
                    interface $Properties {

                        /** DeleteContentRequest digest */
                        digest?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a DeleteContentRequest. */
                    type $Shape = containerd.services.content.v1.DeleteContentRequest.$Properties;
                }

                /**
                 * Properties of a ReadContentRequest.
                 * @deprecated Use containerd.services.content.v1.ReadContentRequest.$Properties instead.
                 */
                interface IReadContentRequest extends containerd.services.content.v1.ReadContentRequest.$Properties {
                }

                /** Represents a ReadContentRequest. */
                class ReadContentRequest {

                    /**
                     * Constructs a new ReadContentRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.ReadContentRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReadContentRequest digest. */
                    digest: string;

                    /** ReadContentRequest offset. */
                    offset: number;

                    /** 0 = to the end */
                    size: number;

                    /**
                     * Creates a new ReadContentRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReadContentRequest instance
                     */
                    static create(properties: containerd.services.content.v1.ReadContentRequest.$Shape): containerd.services.content.v1.ReadContentRequest & containerd.services.content.v1.ReadContentRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.ReadContentRequest.$Properties): containerd.services.content.v1.ReadContentRequest;

                    /**
                     * Encodes the specified ReadContentRequest message. Does not implicitly {@link containerd.services.content.v1.ReadContentRequest.verify|verify} messages.
                     * @param message ReadContentRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.ReadContentRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReadContentRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.ReadContentRequest & containerd.services.content.v1.ReadContentRequest.$Shape} ReadContentRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.ReadContentRequest & containerd.services.content.v1.ReadContentRequest.$Shape;

                    /**
                     * Creates a ReadContentRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReadContentRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.ReadContentRequest;

                    /**
                     * Creates a plain object from a ReadContentRequest message. Also converts values to other types if specified.
                     * @param message ReadContentRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.ReadContentRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReadContentRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReadContentRequest {

                    /** Properties of a ReadContentRequest. */
                    interface $Properties {

                        /** ReadContentRequest digest */
                        digest?: (string|null);

                        /** ReadContentRequest offset */
                        offset?: (number|null);

                        /** 0 = to the end */
                        size?: (number|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReadContentRequest. */
                    type $Shape = containerd.services.content.v1.ReadContentRequest.$Properties;
                }

                /**
                 * Properties of a ReadContentResponse.
                 * @deprecated Use containerd.services.content.v1.ReadContentResponse.$Properties instead.
                 */
                interface IReadContentResponse extends containerd.services.content.v1.ReadContentResponse.$Properties {
                }

                /** Represents a ReadContentResponse. */
                class ReadContentResponse {

                    /**
                     * Constructs a new ReadContentResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.ReadContentResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReadContentResponse offset. */
                    offset: number;

                    /** ReadContentResponse data. */
                    data: Uint8Array;

                    /**
                     * Creates a new ReadContentResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReadContentResponse instance
                     */
                    static create(properties: containerd.services.content.v1.ReadContentResponse.$Shape): containerd.services.content.v1.ReadContentResponse & containerd.services.content.v1.ReadContentResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.ReadContentResponse.$Properties): containerd.services.content.v1.ReadContentResponse;

                    /**
                     * Encodes the specified ReadContentResponse message. Does not implicitly {@link containerd.services.content.v1.ReadContentResponse.verify|verify} messages.
                     * @param message ReadContentResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.ReadContentResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReadContentResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.ReadContentResponse & containerd.services.content.v1.ReadContentResponse.$Shape} ReadContentResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.ReadContentResponse & containerd.services.content.v1.ReadContentResponse.$Shape;

                    /**
                     * Creates a ReadContentResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReadContentResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.ReadContentResponse;

                    /**
                     * Creates a plain object from a ReadContentResponse message. Also converts values to other types if specified.
                     * @param message ReadContentResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.ReadContentResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReadContentResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReadContentResponse {

                    /** Properties of a ReadContentResponse. */
                    interface $Properties {

                        /** ReadContentResponse offset */
                        offset?: (number|null);

                        /** ReadContentResponse data */
                        data?: (Uint8Array|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReadContentResponse. */
                    type $Shape = containerd.services.content.v1.ReadContentResponse.$Properties;
                }

                /**
                 * Properties of a Status.
                 * @deprecated Use containerd.services.content.v1.Status.$Properties instead.
                 */
                interface IStatus extends containerd.services.content.v1.Status.$Properties {
                }

                /** An in-progress write. */
                class Status {

                    /**
                     * Constructs a new Status.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.Status.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Status started_at. */
                    started_at?: (google.protobuf.Timestamp.$Properties|null);

                    /** Status updated_at. */
                    updated_at?: (google.protobuf.Timestamp.$Properties|null);

                    /** Status ref. */
                    ref: string;

                    /** Status offset. */
                    offset: number;

                    /** Status total. */
                    total: number;

                    /** Status expected. */
                    expected: string;

                    /**
                     * Creates a new Status instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Status instance
                     */
                    static create(properties: containerd.services.content.v1.Status.$Shape): containerd.services.content.v1.Status & containerd.services.content.v1.Status.$Shape;
                    static create(properties?: containerd.services.content.v1.Status.$Properties): containerd.services.content.v1.Status;

                    /**
                     * Encodes the specified Status message. Does not implicitly {@link containerd.services.content.v1.Status.verify|verify} messages.
                     * @param message Status message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.Status.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Status message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.Status & containerd.services.content.v1.Status.$Shape} Status
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.Status & containerd.services.content.v1.Status.$Shape;

                    /**
                     * Creates a Status message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Status
                     */
                    static fromObject(object: object): containerd.services.content.v1.Status;

                    /**
                     * Creates a plain object from a Status message. Also converts values to other types if specified.
                     * @param message Status
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.Status, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Status to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Status {

                    /** Properties of a Status. */
                    interface $Properties {

                        /** Status started_at */
                        started_at?: (google.protobuf.Timestamp.$Properties|null);

                        /** Status updated_at */
                        updated_at?: (google.protobuf.Timestamp.$Properties|null);

                        /** Status ref */
                        ref?: (string|null);

                        /** Status offset */
                        offset?: (number|null);

                        /** Status total */
                        total?: (number|null);

                        /** Status expected */
                        expected?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Status. */
                    type $Shape = containerd.services.content.v1.Status.$Properties;
                }

                /**
                 * Properties of a StatusRequest.
                 * @deprecated Use containerd.services.content.v1.StatusRequest.$Properties instead.
                 */
                interface IStatusRequest extends containerd.services.content.v1.StatusRequest.$Properties {
                }

                /** Represents a StatusRequest. */
                class StatusRequest {

                    /**
                     * Constructs a new StatusRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.StatusRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** StatusRequest ref. */
                    ref: string;

                    /**
                     * Creates a new StatusRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns StatusRequest instance
                     */
                    static create(properties: containerd.services.content.v1.StatusRequest.$Shape): containerd.services.content.v1.StatusRequest & containerd.services.content.v1.StatusRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.StatusRequest.$Properties): containerd.services.content.v1.StatusRequest;

                    /**
                     * Encodes the specified StatusRequest message. Does not implicitly {@link containerd.services.content.v1.StatusRequest.verify|verify} messages.
                     * @param message StatusRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.StatusRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a StatusRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.StatusRequest & containerd.services.content.v1.StatusRequest.$Shape} StatusRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.StatusRequest & containerd.services.content.v1.StatusRequest.$Shape;

                    /**
                     * Creates a StatusRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns StatusRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.StatusRequest;

                    /**
                     * Creates a plain object from a StatusRequest message. Also converts values to other types if specified.
                     * @param message StatusRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.StatusRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this StatusRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace StatusRequest {

                    /** Properties of a StatusRequest. */
                    interface $Properties {

                        /** StatusRequest ref */
                        ref?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a StatusRequest. */
                    type $Shape = containerd.services.content.v1.StatusRequest.$Properties;
                }

                /**
                 * Properties of a StatusResponse.
                 * @deprecated Use containerd.services.content.v1.StatusResponse.$Properties instead.
                 */
                interface IStatusResponse extends containerd.services.content.v1.StatusResponse.$Properties {
                }

                /** Represents a StatusResponse. */
                class StatusResponse {

                    /**
                     * Constructs a new StatusResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.StatusResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** StatusResponse status. */
                    status?: (containerd.services.content.v1.Status.$Properties|null);

                    /**
                     * Creates a new StatusResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns StatusResponse instance
                     */
                    static create(properties: containerd.services.content.v1.StatusResponse.$Shape): containerd.services.content.v1.StatusResponse & containerd.services.content.v1.StatusResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.StatusResponse.$Properties): containerd.services.content.v1.StatusResponse;

                    /**
                     * Encodes the specified StatusResponse message. Does not implicitly {@link containerd.services.content.v1.StatusResponse.verify|verify} messages.
                     * @param message StatusResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.StatusResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a StatusResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.StatusResponse & containerd.services.content.v1.StatusResponse.$Shape} StatusResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.StatusResponse & containerd.services.content.v1.StatusResponse.$Shape;

                    /**
                     * Creates a StatusResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns StatusResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.StatusResponse;

                    /**
                     * Creates a plain object from a StatusResponse message. Also converts values to other types if specified.
                     * @param message StatusResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.StatusResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this StatusResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace StatusResponse {

                    /** Properties of a StatusResponse. */
                    interface $Properties {

                        /** StatusResponse status */
                        status?: (containerd.services.content.v1.Status.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a StatusResponse. */
                    type $Shape = containerd.services.content.v1.StatusResponse.$Properties;
                }

                /**
                 * Properties of a ListStatusesRequest.
                 * @deprecated Use containerd.services.content.v1.ListStatusesRequest.$Properties instead.
                 */
                interface IListStatusesRequest extends containerd.services.content.v1.ListStatusesRequest.$Properties {
                }

                /** Represents a ListStatusesRequest. */
                class ListStatusesRequest {

                    /**
                     * Constructs a new ListStatusesRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.ListStatusesRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ListStatusesRequest filters. */
                    filters: string[];

                    /**
                     * Creates a new ListStatusesRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ListStatusesRequest instance
                     */
                    static create(properties: containerd.services.content.v1.ListStatusesRequest.$Shape): containerd.services.content.v1.ListStatusesRequest & containerd.services.content.v1.ListStatusesRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.ListStatusesRequest.$Properties): containerd.services.content.v1.ListStatusesRequest;

                    /**
                     * Encodes the specified ListStatusesRequest message. Does not implicitly {@link containerd.services.content.v1.ListStatusesRequest.verify|verify} messages.
                     * @param message ListStatusesRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.ListStatusesRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ListStatusesRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.ListStatusesRequest & containerd.services.content.v1.ListStatusesRequest.$Shape} ListStatusesRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.ListStatusesRequest & containerd.services.content.v1.ListStatusesRequest.$Shape;

                    /**
                     * Creates a ListStatusesRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ListStatusesRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.ListStatusesRequest;

                    /**
                     * Creates a plain object from a ListStatusesRequest message. Also converts values to other types if specified.
                     * @param message ListStatusesRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.ListStatusesRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ListStatusesRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ListStatusesRequest {

                    /** Properties of a ListStatusesRequest. */
                    interface $Properties {

                        /** ListStatusesRequest filters */
                        filters?: (string[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ListStatusesRequest. */
                    type $Shape = containerd.services.content.v1.ListStatusesRequest.$Properties;
                }

                /**
                 * Properties of a ListStatusesResponse.
                 * @deprecated Use containerd.services.content.v1.ListStatusesResponse.$Properties instead.
                 */
                interface IListStatusesResponse extends containerd.services.content.v1.ListStatusesResponse.$Properties {
                }

                /** Represents a ListStatusesResponse. */
                class ListStatusesResponse {

                    /**
                     * Constructs a new ListStatusesResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.ListStatusesResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ListStatusesResponse statuses. */
                    statuses: containerd.services.content.v1.Status.$Properties[];

                    /**
                     * Creates a new ListStatusesResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ListStatusesResponse instance
                     */
                    static create(properties: containerd.services.content.v1.ListStatusesResponse.$Shape): containerd.services.content.v1.ListStatusesResponse & containerd.services.content.v1.ListStatusesResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.ListStatusesResponse.$Properties): containerd.services.content.v1.ListStatusesResponse;

                    /**
                     * Encodes the specified ListStatusesResponse message. Does not implicitly {@link containerd.services.content.v1.ListStatusesResponse.verify|verify} messages.
                     * @param message ListStatusesResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.ListStatusesResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ListStatusesResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.ListStatusesResponse & containerd.services.content.v1.ListStatusesResponse.$Shape} ListStatusesResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.ListStatusesResponse & containerd.services.content.v1.ListStatusesResponse.$Shape;

                    /**
                     * Creates a ListStatusesResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ListStatusesResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.ListStatusesResponse;

                    /**
                     * Creates a plain object from a ListStatusesResponse message. Also converts values to other types if specified.
                     * @param message ListStatusesResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.ListStatusesResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ListStatusesResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ListStatusesResponse {

                    /** Properties of a ListStatusesResponse. */
                    interface $Properties {

                        /** ListStatusesResponse statuses */
                        statuses?: (containerd.services.content.v1.Status.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ListStatusesResponse. */
                    type $Shape = containerd.services.content.v1.ListStatusesResponse.$Properties;
                }

                /** What a Write message asks for. */
                enum WriteAction {

                    /** report the write's state only */
                    STAT = 0,

                    /** append data at offset */
                    WRITE = 1,

                    /** write (optional) data and commit as `expected` */
                    COMMIT = 2
                }

                /**
                 * Properties of a WriteContentRequest.
                 * @deprecated Use containerd.services.content.v1.WriteContentRequest.$Properties instead.
                 */
                interface IWriteContentRequest extends containerd.services.content.v1.WriteContentRequest.$Properties {
                }

                /** Represents a WriteContentRequest. */
                class WriteContentRequest {

                    /**
                     * Constructs a new WriteContentRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.WriteContentRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** WriteContentRequest action. */
                    action: containerd.services.content.v1.WriteAction;

                    /** WriteContentRequest ref. */
                    ref: string;

                    /** WriteContentRequest total. */
                    total: number;

                    /** WriteContentRequest expected. */
                    expected: string;

                    /** WriteContentRequest offset. */
                    offset: number;

                    /** WriteContentRequest data. */
                    data: Uint8Array;

                    /** WriteContentRequest labels. */
                    labels: { [k: string]: string };

                    /**
                     * Creates a new WriteContentRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns WriteContentRequest instance
                     */
                    static create(properties: containerd.services.content.v1.WriteContentRequest.$Shape): containerd.services.content.v1.WriteContentRequest & containerd.services.content.v1.WriteContentRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.WriteContentRequest.$Properties): containerd.services.content.v1.WriteContentRequest;

                    /**
                     * Encodes the specified WriteContentRequest message. Does not implicitly {@link containerd.services.content.v1.WriteContentRequest.verify|verify} messages.
                     * @param message WriteContentRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.WriteContentRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a WriteContentRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.WriteContentRequest & containerd.services.content.v1.WriteContentRequest.$Shape} WriteContentRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.WriteContentRequest & containerd.services.content.v1.WriteContentRequest.$Shape;

                    /**
                     * Creates a WriteContentRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns WriteContentRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.WriteContentRequest;

                    /**
                     * Creates a plain object from a WriteContentRequest message. Also converts values to other types if specified.
                     * @param message WriteContentRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.WriteContentRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this WriteContentRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace WriteContentRequest {

                    /** Properties of a WriteContentRequest. */
                    interface $Properties {

                        /** WriteContentRequest action */
                        action?: (containerd.services.content.v1.WriteAction|null);

                        /** WriteContentRequest ref */
                        ref?: (string|null);

                        /** WriteContentRequest total */
                        total?: (number|null);

                        /** WriteContentRequest expected */
                        expected?: (string|null);

                        /** WriteContentRequest offset */
                        offset?: (number|null);

                        /** WriteContentRequest data */
                        data?: (Uint8Array|null);

                        /** WriteContentRequest labels */
                        labels?: ({ [k: string]: string }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a WriteContentRequest. */
                    type $Shape = containerd.services.content.v1.WriteContentRequest.$Properties;
                }

                /**
                 * Properties of a WriteContentResponse.
                 * @deprecated Use containerd.services.content.v1.WriteContentResponse.$Properties instead.
                 */
                interface IWriteContentResponse extends containerd.services.content.v1.WriteContentResponse.$Properties {
                }

                /** Represents a WriteContentResponse. */
                class WriteContentResponse {

                    /**
                     * Constructs a new WriteContentResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.WriteContentResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** WriteContentResponse action. */
                    action: containerd.services.content.v1.WriteAction;

                    /** WriteContentResponse started_at. */
                    started_at?: (google.protobuf.Timestamp.$Properties|null);

                    /** WriteContentResponse updated_at. */
                    updated_at?: (google.protobuf.Timestamp.$Properties|null);

                    /** WriteContentResponse offset. */
                    offset: number;

                    /** WriteContentResponse total. */
                    total: number;

                    /** WriteContentResponse digest. */
                    digest: string;

                    /**
                     * Creates a new WriteContentResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns WriteContentResponse instance
                     */
                    static create(properties: containerd.services.content.v1.WriteContentResponse.$Shape): containerd.services.content.v1.WriteContentResponse & containerd.services.content.v1.WriteContentResponse.$Shape;
                    static create(properties?: containerd.services.content.v1.WriteContentResponse.$Properties): containerd.services.content.v1.WriteContentResponse;

                    /**
                     * Encodes the specified WriteContentResponse message. Does not implicitly {@link containerd.services.content.v1.WriteContentResponse.verify|verify} messages.
                     * @param message WriteContentResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.WriteContentResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a WriteContentResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.WriteContentResponse & containerd.services.content.v1.WriteContentResponse.$Shape} WriteContentResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.WriteContentResponse & containerd.services.content.v1.WriteContentResponse.$Shape;

                    /**
                     * Creates a WriteContentResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns WriteContentResponse
                     */
                    static fromObject(object: object): containerd.services.content.v1.WriteContentResponse;

                    /**
                     * Creates a plain object from a WriteContentResponse message. Also converts values to other types if specified.
                     * @param message WriteContentResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.WriteContentResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this WriteContentResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace WriteContentResponse {

                    /** Properties of a WriteContentResponse. */
                    interface $Properties {

                        /** WriteContentResponse action */
                        action?: (containerd.services.content.v1.WriteAction|null);

                        /** WriteContentResponse started_at */
                        started_at?: (google.protobuf.Timestamp.$Properties|null);

                        /** WriteContentResponse updated_at */
                        updated_at?: (google.protobuf.Timestamp.$Properties|null);

                        /** WriteContentResponse offset */
                        offset?: (number|null);

                        /** WriteContentResponse total */
                        total?: (number|null);

                        /** WriteContentResponse digest */
                        digest?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a WriteContentResponse. */
                    type $Shape = containerd.services.content.v1.WriteContentResponse.$Properties;
                }

                /**
                 * Properties of an AbortRequest.
                 * @deprecated Use containerd.services.content.v1.AbortRequest.$Properties instead.
                 */
                interface IAbortRequest extends containerd.services.content.v1.AbortRequest.$Properties {
                }

                /** Represents an AbortRequest. */
                class AbortRequest {

                    /**
                     * Constructs a new AbortRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: containerd.services.content.v1.AbortRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** AbortRequest ref. */
                    ref: string;

                    /**
                     * Creates a new AbortRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns AbortRequest instance
                     */
                    static create(properties: containerd.services.content.v1.AbortRequest.$Shape): containerd.services.content.v1.AbortRequest & containerd.services.content.v1.AbortRequest.$Shape;
                    static create(properties?: containerd.services.content.v1.AbortRequest.$Properties): containerd.services.content.v1.AbortRequest;

                    /**
                     * Encodes the specified AbortRequest message. Does not implicitly {@link containerd.services.content.v1.AbortRequest.verify|verify} messages.
                     * @param message AbortRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: containerd.services.content.v1.AbortRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an AbortRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {containerd.services.content.v1.AbortRequest & containerd.services.content.v1.AbortRequest.$Shape} AbortRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): containerd.services.content.v1.AbortRequest & containerd.services.content.v1.AbortRequest.$Shape;

                    /**
                     * Creates an AbortRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns AbortRequest
                     */
                    static fromObject(object: object): containerd.services.content.v1.AbortRequest;

                    /**
                     * Creates a plain object from an AbortRequest message. Also converts values to other types if specified.
                     * @param message AbortRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: containerd.services.content.v1.AbortRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this AbortRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace AbortRequest {

                    /** Properties of an AbortRequest. */
                    interface $Properties {

                        /** AbortRequest ref */
                        ref?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an AbortRequest. */
                    type $Shape = containerd.services.content.v1.AbortRequest.$Properties;
                }
            }
        }
    }
}

/** Namespace fsutil. */
export namespace fsutil {

    /** Namespace types. */
    namespace types {

        /**
         * Properties of a Stat.
         * @deprecated Use fsutil.types.Stat.$Properties instead.
         */
        interface IStat extends fsutil.types.Stat.$Properties {
        }

        /** Represents a Stat. */
        class Stat {

            /**
             * Constructs a new Stat.
             * @param [properties] Properties to set
             */
            constructor(properties?: fsutil.types.Stat.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Stat path. */
            path: string;

            /** Stat mode. */
            mode: number;

            /** Stat uid. */
            uid: number;

            /** Stat gid. */
            gid: number;

            /** Stat size. */
            size: number;

            /** Stat modTime. */
            modTime: number;

            /** Stat linkname. */
            linkname: string;

            /** Stat devmajor. */
            devmajor: number;

            /** Stat devminor. */
            devminor: number;

            /** Stat xattrs. */
            xattrs: { [k: string]: Uint8Array };

            /**
             * Creates a new Stat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Stat instance
             */
            static create(properties: fsutil.types.Stat.$Shape): fsutil.types.Stat & fsutil.types.Stat.$Shape;
            static create(properties?: fsutil.types.Stat.$Properties): fsutil.types.Stat;

            /**
             * Encodes the specified Stat message. Does not implicitly {@link fsutil.types.Stat.verify|verify} messages.
             * @param message Stat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fsutil.types.Stat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Stat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fsutil.types.Stat & fsutil.types.Stat.$Shape} Stat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fsutil.types.Stat & fsutil.types.Stat.$Shape;

            /**
             * Creates a Stat message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Stat
             */
            static fromObject(object: object): fsutil.types.Stat;

            /**
             * Creates a plain object from a Stat message. Also converts values to other types if specified.
             * @param message Stat
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fsutil.types.Stat, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this Stat to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace Stat {

            /** Properties of a Stat. */
            interface $Properties {

                /** Stat path */
                path?: (string|null);

                /** Stat mode */
                mode?: (number|null);

                /** Stat uid */
                uid?: (number|null);

                /** Stat gid */
                gid?: (number|null);

                /** Stat size */
                size?: (number|null);

                /** Stat modTime */
                modTime?: (number|null);

                /** Stat linkname */
                linkname?: (string|null);

                /** Stat devmajor */
                devmajor?: (number|null);

                /** Stat devminor */
                devminor?: (number|null);

                /** Stat xattrs */
                xattrs?: ({ [k: string]: Uint8Array }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Stat. */
            type $Shape = fsutil.types.Stat.$Properties;
        }

        /**
         * Properties of a Packet.
         * @deprecated Use fsutil.types.Packet.$Properties instead.
         */
        interface IPacket extends fsutil.types.Packet.$Properties {
        }

        /** Represents a Packet. */
        class Packet {

            /**
             * Constructs a new Packet.
             * @param [properties] Properties to set
             */
            constructor(properties?: fsutil.types.Packet.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Packet type. */
            type: fsutil.types.Packet.PacketType;

            /** Packet stat. */
            stat?: (fsutil.types.Stat.$Properties|null);

            /** Packet ID. */
            ID: number;

            /** Packet data. */
            data: Uint8Array;

            /**
             * Creates a new Packet instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Packet instance
             */
            static create(properties: fsutil.types.Packet.$Shape): fsutil.types.Packet & fsutil.types.Packet.$Shape;
            static create(properties?: fsutil.types.Packet.$Properties): fsutil.types.Packet;

            /**
             * Encodes the specified Packet message. Does not implicitly {@link fsutil.types.Packet.verify|verify} messages.
             * @param message Packet message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fsutil.types.Packet.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Packet message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fsutil.types.Packet & fsutil.types.Packet.$Shape} Packet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fsutil.types.Packet & fsutil.types.Packet.$Shape;

            /**
             * Creates a Packet message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Packet
             */
            static fromObject(object: object): fsutil.types.Packet;

            /**
             * Creates a plain object from a Packet message. Also converts values to other types if specified.
             * @param message Packet
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: fsutil.types.Packet, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this Packet to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace Packet {

            /** Properties of a Packet. */
            interface $Properties {

                /** Packet type */
                type?: (fsutil.types.Packet.PacketType|null);

                /** Packet stat */
                stat?: (fsutil.types.Stat.$Properties|null);

                /** Packet ID */
                ID?: (number|null);

                /** Packet data */
                data?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Packet. */
            type $Shape = fsutil.types.Packet.$Properties;

            /** PacketType enum. */
            enum PacketType {

                /** one walk entry; an empty packet ends the walk */
                PACKET_STAT = 0,

                /** receiver asks for the file with this ID */
                PACKET_REQ = 1,

                /** a chunk of file ID; empty data = end of that file */
                PACKET_DATA = 2,

                /** transfer finished */
                PACKET_FIN = 3,

                /** abort; data carries the message */
                PACKET_ERR = 4
            }
        }
    }
}

/** Namespace google. */
export namespace google {

    /** Namespace protobuf. */
    namespace protobuf {

        /**
         * Properties of an Empty.
         * @deprecated Use google.protobuf.Empty.$Properties instead.
         */
        interface IEmpty extends google.protobuf.Empty.$Properties {
        }

        /** Represents an Empty. */
        class Empty {

            /**
             * Constructs a new Empty.
             * @param [properties] Properties to set
             */
            constructor(properties?: google.protobuf.Empty.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /**
             * Creates a new Empty instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Empty instance
             */
            static create(properties: google.protobuf.Empty.$Shape): google.protobuf.Empty & google.protobuf.Empty.$Shape;
            static create(properties?: google.protobuf.Empty.$Properties): google.protobuf.Empty;

            /**
             * Encodes the specified Empty message. Does not implicitly {@link google.protobuf.Empty.verify|verify} messages.
             * @param message Empty message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: google.protobuf.Empty.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Empty message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {google.protobuf.Empty & google.protobuf.Empty.$Shape} Empty
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.Empty & google.protobuf.Empty.$Shape;

            /**
             * Creates an Empty message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Empty
             */
            static fromObject(object: object): google.protobuf.Empty;

            /**
             * Creates a plain object from an Empty message. Also converts values to other types if specified.
             * @param message Empty
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: google.protobuf.Empty, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this Empty to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace Empty {

            /** Properties of an Empty. */
            interface $Properties {

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Empty. */
            type $Shape = google.protobuf.Empty.$Properties;
        }

        /**
         * Properties of a FieldMask.
         * @deprecated Use google.protobuf.FieldMask.$Properties instead.
         */
        interface IFieldMask extends google.protobuf.FieldMask.$Properties {
        }

        /** Represents a FieldMask. */
        class FieldMask {

            /**
             * Constructs a new FieldMask.
             * @param [properties] Properties to set
             */
            constructor(properties?: google.protobuf.FieldMask.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** FieldMask paths. */
            paths: string[];

            /**
             * Creates a new FieldMask instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FieldMask instance
             */
            static create(properties: google.protobuf.FieldMask.$Shape): google.protobuf.FieldMask & google.protobuf.FieldMask.$Shape;
            static create(properties?: google.protobuf.FieldMask.$Properties): google.protobuf.FieldMask;

            /**
             * Encodes the specified FieldMask message. Does not implicitly {@link google.protobuf.FieldMask.verify|verify} messages.
             * @param message FieldMask message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: google.protobuf.FieldMask.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FieldMask message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {google.protobuf.FieldMask & google.protobuf.FieldMask.$Shape} FieldMask
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.FieldMask & google.protobuf.FieldMask.$Shape;

            /**
             * Creates a FieldMask message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns FieldMask
             */
            static fromObject(object: object): google.protobuf.FieldMask;

            /**
             * Creates a plain object from a FieldMask message. Also converts values to other types if specified.
             * @param message FieldMask
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: google.protobuf.FieldMask, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this FieldMask to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace FieldMask {

            /** Properties of a FieldMask. */
            interface $Properties {

                /** FieldMask paths */
                paths?: (string[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a FieldMask. */
            type $Shape = google.protobuf.FieldMask.$Properties;
        }

        /**
         * Properties of a Timestamp.
         * @deprecated Use google.protobuf.Timestamp.$Properties instead.
         */
        interface ITimestamp extends google.protobuf.Timestamp.$Properties {
        }

        /** Represents a Timestamp. */
        class Timestamp {

            /**
             * Constructs a new Timestamp.
             * @param [properties] Properties to set
             */
            constructor(properties?: google.protobuf.Timestamp.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Timestamp seconds. */
            seconds: number;

            /** Timestamp nanos. */
            nanos: number;

            /**
             * Creates a new Timestamp instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Timestamp instance
             */
            static create(properties: google.protobuf.Timestamp.$Shape): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
            static create(properties?: google.protobuf.Timestamp.$Properties): google.protobuf.Timestamp;

            /**
             * Encodes the specified Timestamp message. Does not implicitly {@link google.protobuf.Timestamp.verify|verify} messages.
             * @param message Timestamp message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: google.protobuf.Timestamp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Timestamp message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape} Timestamp
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;

            /**
             * Creates a Timestamp message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Timestamp
             */
            static fromObject(object: object): google.protobuf.Timestamp;

            /**
             * Creates a plain object from a Timestamp message. Also converts values to other types if specified.
             * @param message Timestamp
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: google.protobuf.Timestamp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this Timestamp to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace Timestamp {

            /** Properties of a Timestamp. */
            interface $Properties {

                /** Timestamp seconds */
                seconds?: (number|null);

                /** Timestamp nanos */
                nanos?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Timestamp. */
            type $Shape = google.protobuf.Timestamp.$Properties;
        }

        /**
         * Properties of an Any.
         * @deprecated Use google.protobuf.Any.$Properties instead.
         */
        interface IAny extends google.protobuf.Any.$Properties {
        }

        /** Represents an Any. */
        class Any {

            /**
             * Constructs a new Any.
             * @param [properties] Properties to set
             */
            constructor(properties?: google.protobuf.Any.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Any type_url. */
            type_url: string;

            /** Any value. */
            value: Uint8Array;

            /**
             * Creates a new Any instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Any instance
             */
            static create(properties: google.protobuf.Any.$Shape): google.protobuf.Any & google.protobuf.Any.$Shape;
            static create(properties?: google.protobuf.Any.$Properties): google.protobuf.Any;

            /**
             * Encodes the specified Any message. Does not implicitly {@link google.protobuf.Any.verify|verify} messages.
             * @param message Any message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: google.protobuf.Any.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Any message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {google.protobuf.Any & google.protobuf.Any.$Shape} Any
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.Any & google.protobuf.Any.$Shape;

            /**
             * Creates an Any message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Any
             */
            static fromObject(object: object): google.protobuf.Any;

            /**
             * Creates a plain object from an Any message. Also converts values to other types if specified.
             * @param message Any
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: google.protobuf.Any, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this Any to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace Any {

            /** Properties of an Any. */
            interface $Properties {

                /** Any type_url */
                type_url?: (string|null);

                /** Any value */
                value?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Any. */
            type $Shape = google.protobuf.Any.$Properties;
        }
    }

    /** Namespace rpc. */
    namespace rpc {

        /**
         * Properties of a Status.
         * @deprecated Use google.rpc.Status.$Properties instead.
         */
        interface IStatus extends google.rpc.Status.$Properties {
        }

        /** Represents a Status. */
        class Status {

            /**
             * Constructs a new Status.
             * @param [properties] Properties to set
             */
            constructor(properties?: google.rpc.Status.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** a gRPC status code */
            code: number;

            /** Status message. */
            message: string;

            /** Status details. */
            details: google.protobuf.Any.$Properties[];

            /**
             * Creates a new Status instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Status instance
             */
            static create(properties: google.rpc.Status.$Shape): google.rpc.Status & google.rpc.Status.$Shape;
            static create(properties?: google.rpc.Status.$Properties): google.rpc.Status;

            /**
             * Encodes the specified Status message. Does not implicitly {@link google.rpc.Status.verify|verify} messages.
             * @param message Status message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: google.rpc.Status.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Status message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {google.rpc.Status & google.rpc.Status.$Shape} Status
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.rpc.Status & google.rpc.Status.$Shape;

            /**
             * Creates a Status message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Status
             */
            static fromObject(object: object): google.rpc.Status;

            /**
             * Creates a plain object from a Status message. Also converts values to other types if specified.
             * @param message Status
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: google.rpc.Status, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

            /**
             * Converts this Status to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: unknown };
        }

        namespace Status {

            /** Properties of a Status. */
            interface $Properties {

                /** a gRPC status code */
                code?: (number|null);

                /** Status message */
                message?: (string|null);

                /** Status details */
                details?: (google.protobuf.Any.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Status. */
            type $Shape = google.rpc.Status.$Properties;
        }
    }
}

/** Namespace grpc. */
export namespace grpc {

    /** Namespace health. */
    namespace health {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of a HealthCheckRequest.
             * @deprecated Use grpc.health.v1.HealthCheckRequest.$Properties instead.
             */
            interface IHealthCheckRequest extends grpc.health.v1.HealthCheckRequest.$Properties {
            }

            /** Represents a HealthCheckRequest. */
            class HealthCheckRequest {

                /**
                 * Constructs a new HealthCheckRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: grpc.health.v1.HealthCheckRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** "" = the server as a whole */
                service: string;

                /**
                 * Creates a new HealthCheckRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns HealthCheckRequest instance
                 */
                static create(properties: grpc.health.v1.HealthCheckRequest.$Shape): grpc.health.v1.HealthCheckRequest & grpc.health.v1.HealthCheckRequest.$Shape;
                static create(properties?: grpc.health.v1.HealthCheckRequest.$Properties): grpc.health.v1.HealthCheckRequest;

                /**
                 * Encodes the specified HealthCheckRequest message. Does not implicitly {@link grpc.health.v1.HealthCheckRequest.verify|verify} messages.
                 * @param message HealthCheckRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: grpc.health.v1.HealthCheckRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a HealthCheckRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {grpc.health.v1.HealthCheckRequest & grpc.health.v1.HealthCheckRequest.$Shape} HealthCheckRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): grpc.health.v1.HealthCheckRequest & grpc.health.v1.HealthCheckRequest.$Shape;

                /**
                 * Creates a HealthCheckRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns HealthCheckRequest
                 */
                static fromObject(object: object): grpc.health.v1.HealthCheckRequest;

                /**
                 * Creates a plain object from a HealthCheckRequest message. Also converts values to other types if specified.
                 * @param message HealthCheckRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: grpc.health.v1.HealthCheckRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this HealthCheckRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace HealthCheckRequest {

                /** Properties of a HealthCheckRequest. */
                interface $Properties {

                    /** "" = the server as a whole */
                    service?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a HealthCheckRequest. */
                type $Shape = grpc.health.v1.HealthCheckRequest.$Properties;
            }

            /**
             * Properties of a HealthCheckResponse.
             * @deprecated Use grpc.health.v1.HealthCheckResponse.$Properties instead.
             */
            interface IHealthCheckResponse extends grpc.health.v1.HealthCheckResponse.$Properties {
            }

            /** Represents a HealthCheckResponse. */
            class HealthCheckResponse {

                /**
                 * Constructs a new HealthCheckResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: grpc.health.v1.HealthCheckResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** HealthCheckResponse status. */
                status: grpc.health.v1.HealthCheckResponse.ServingStatus;

                /**
                 * Creates a new HealthCheckResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns HealthCheckResponse instance
                 */
                static create(properties: grpc.health.v1.HealthCheckResponse.$Shape): grpc.health.v1.HealthCheckResponse & grpc.health.v1.HealthCheckResponse.$Shape;
                static create(properties?: grpc.health.v1.HealthCheckResponse.$Properties): grpc.health.v1.HealthCheckResponse;

                /**
                 * Encodes the specified HealthCheckResponse message. Does not implicitly {@link grpc.health.v1.HealthCheckResponse.verify|verify} messages.
                 * @param message HealthCheckResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: grpc.health.v1.HealthCheckResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a HealthCheckResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {grpc.health.v1.HealthCheckResponse & grpc.health.v1.HealthCheckResponse.$Shape} HealthCheckResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): grpc.health.v1.HealthCheckResponse & grpc.health.v1.HealthCheckResponse.$Shape;

                /**
                 * Creates a HealthCheckResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns HealthCheckResponse
                 */
                static fromObject(object: object): grpc.health.v1.HealthCheckResponse;

                /**
                 * Creates a plain object from a HealthCheckResponse message. Also converts values to other types if specified.
                 * @param message HealthCheckResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: grpc.health.v1.HealthCheckResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this HealthCheckResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace HealthCheckResponse {

                /** Properties of a HealthCheckResponse. */
                interface $Properties {

                    /** HealthCheckResponse status */
                    status?: (grpc.health.v1.HealthCheckResponse.ServingStatus|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a HealthCheckResponse. */
                type $Shape = grpc.health.v1.HealthCheckResponse.$Properties;

                /** ServingStatus enum. */
                enum ServingStatus {

                    /** UNKNOWN value */
                    UNKNOWN = 0,

                    /** SERVING value */
                    SERVING = 1,

                    /** NOT_SERVING value */
                    NOT_SERVING = 2,

                    /** only used by Watch */
                    SERVICE_UNKNOWN = 3
                }
            }
        }
    }
}

/** Namespace moby. */
export namespace moby {

    /** Namespace buildkit. */
    namespace buildkit {

        /** Namespace secrets. */
        namespace secrets {

            /** Namespace v1. */
            namespace v1 {

                /**
                 * Properties of a GetSecretRequest.
                 * @deprecated Use moby.buildkit.secrets.v1.GetSecretRequest.$Properties instead.
                 */
                interface IGetSecretRequest extends moby.buildkit.secrets.v1.GetSecretRequest.$Properties {
                }

                /** Represents a GetSecretRequest. */
                class GetSecretRequest {

                    /**
                     * Constructs a new GetSecretRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.secrets.v1.GetSecretRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** GetSecretRequest ID. */
                    ID: string;

                    /** GetSecretRequest annotations. */
                    annotations: { [k: string]: string };

                    /**
                     * Creates a new GetSecretRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns GetSecretRequest instance
                     */
                    static create(properties: moby.buildkit.secrets.v1.GetSecretRequest.$Shape): moby.buildkit.secrets.v1.GetSecretRequest & moby.buildkit.secrets.v1.GetSecretRequest.$Shape;
                    static create(properties?: moby.buildkit.secrets.v1.GetSecretRequest.$Properties): moby.buildkit.secrets.v1.GetSecretRequest;

                    /**
                     * Encodes the specified GetSecretRequest message. Does not implicitly {@link moby.buildkit.secrets.v1.GetSecretRequest.verify|verify} messages.
                     * @param message GetSecretRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.secrets.v1.GetSecretRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a GetSecretRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.secrets.v1.GetSecretRequest & moby.buildkit.secrets.v1.GetSecretRequest.$Shape} GetSecretRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.secrets.v1.GetSecretRequest & moby.buildkit.secrets.v1.GetSecretRequest.$Shape;

                    /**
                     * Creates a GetSecretRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns GetSecretRequest
                     */
                    static fromObject(object: object): moby.buildkit.secrets.v1.GetSecretRequest;

                    /**
                     * Creates a plain object from a GetSecretRequest message. Also converts values to other types if specified.
                     * @param message GetSecretRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.secrets.v1.GetSecretRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this GetSecretRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace GetSecretRequest {

                    /** Properties of a GetSecretRequest. */
                    interface $Properties {

                        /** GetSecretRequest ID */
                        ID?: (string|null);

                        /** GetSecretRequest annotations */
                        annotations?: ({ [k: string]: string }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a GetSecretRequest. */
                    type $Shape = moby.buildkit.secrets.v1.GetSecretRequest.$Properties;
                }

                /**
                 * Properties of a GetSecretResponse.
                 * @deprecated Use moby.buildkit.secrets.v1.GetSecretResponse.$Properties instead.
                 */
                interface IGetSecretResponse extends moby.buildkit.secrets.v1.GetSecretResponse.$Properties {
                }

                /** Represents a GetSecretResponse. */
                class GetSecretResponse {

                    /**
                     * Constructs a new GetSecretResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.secrets.v1.GetSecretResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** GetSecretResponse data. */
                    data: Uint8Array;

                    /**
                     * Creates a new GetSecretResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns GetSecretResponse instance
                     */
                    static create(properties: moby.buildkit.secrets.v1.GetSecretResponse.$Shape): moby.buildkit.secrets.v1.GetSecretResponse & moby.buildkit.secrets.v1.GetSecretResponse.$Shape;
                    static create(properties?: moby.buildkit.secrets.v1.GetSecretResponse.$Properties): moby.buildkit.secrets.v1.GetSecretResponse;

                    /**
                     * Encodes the specified GetSecretResponse message. Does not implicitly {@link moby.buildkit.secrets.v1.GetSecretResponse.verify|verify} messages.
                     * @param message GetSecretResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.secrets.v1.GetSecretResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a GetSecretResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.secrets.v1.GetSecretResponse & moby.buildkit.secrets.v1.GetSecretResponse.$Shape} GetSecretResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.secrets.v1.GetSecretResponse & moby.buildkit.secrets.v1.GetSecretResponse.$Shape;

                    /**
                     * Creates a GetSecretResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns GetSecretResponse
                     */
                    static fromObject(object: object): moby.buildkit.secrets.v1.GetSecretResponse;

                    /**
                     * Creates a plain object from a GetSecretResponse message. Also converts values to other types if specified.
                     * @param message GetSecretResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.secrets.v1.GetSecretResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this GetSecretResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace GetSecretResponse {

                    /** Properties of a GetSecretResponse. */
                    interface $Properties {

                        /** GetSecretResponse data */
                        data?: (Uint8Array|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a GetSecretResponse. */
                    type $Shape = moby.buildkit.secrets.v1.GetSecretResponse.$Properties;
                }
            }
        }

        /** Namespace v1. */
        namespace v1 {

            /** Namespace apicaps. */
            namespace apicaps {

                /**
                 * Properties of a APICap.
                 * @deprecated Use moby.buildkit.v1.apicaps.APICap.$Properties instead.
                 */
                interface IAPICap extends moby.buildkit.v1.apicaps.APICap.$Properties {
                }

                /** Represents a APICap. */
                class APICap {

                    /**
                     * Constructs a new APICap.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.apicaps.APICap.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** APICap ID. */
                    ID: string;

                    /** APICap Enabled. */
                    Enabled: boolean;

                    /** APICap Deprecated. */
                    Deprecated: boolean;

                    /** APICap DisabledReason. */
                    DisabledReason: string;

                    /** APICap DisabledReasonMsg. */
                    DisabledReasonMsg: string;

                    /** APICap DisabledAlternative. */
                    DisabledAlternative: string;

                    /**
                     * Creates a new APICap instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns APICap instance
                     */
                    static create(properties: moby.buildkit.v1.apicaps.APICap.$Shape): moby.buildkit.v1.apicaps.APICap & moby.buildkit.v1.apicaps.APICap.$Shape;
                    static create(properties?: moby.buildkit.v1.apicaps.APICap.$Properties): moby.buildkit.v1.apicaps.APICap;

                    /**
                     * Encodes the specified APICap message. Does not implicitly {@link moby.buildkit.v1.apicaps.APICap.verify|verify} messages.
                     * @param message APICap message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.apicaps.APICap.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a APICap message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.apicaps.APICap & moby.buildkit.v1.apicaps.APICap.$Shape} APICap
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.apicaps.APICap & moby.buildkit.v1.apicaps.APICap.$Shape;

                    /**
                     * Creates a APICap message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns APICap
                     */
                    static fromObject(object: object): moby.buildkit.v1.apicaps.APICap;

                    /**
                     * Creates a plain object from a APICap message. Also converts values to other types if specified.
                     * @param message APICap
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.apicaps.APICap, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this APICap to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace APICap {

                    /** Properties of a APICap. */
                    interface $Properties {

                        /** APICap ID */
                        ID?: (string|null);

                        /** APICap Enabled */
                        Enabled?: (boolean|null);

                        /** APICap Deprecated */
                        Deprecated?: (boolean|null);

                        /** APICap DisabledReason */
                        DisabledReason?: (string|null);

                        /** APICap DisabledReasonMsg */
                        DisabledReasonMsg?: (string|null);

                        /** APICap DisabledAlternative */
                        DisabledAlternative?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a APICap. */
                    type $Shape = moby.buildkit.v1.apicaps.APICap.$Properties;
                }
            }

            /**
             * Properties of a PruneRequest.
             * @deprecated Use moby.buildkit.v1.PruneRequest.$Properties instead.
             */
            interface IPruneRequest extends moby.buildkit.v1.PruneRequest.$Properties {
            }

            /** Represents a PruneRequest. */
            class PruneRequest {

                /**
                 * Constructs a new PruneRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.PruneRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** PruneRequest filter. */
                filter: string[];

                /** PruneRequest all. */
                all: boolean;

                /** ns */
                keepDuration: number;

                /** PruneRequest keepBytes. */
                keepBytes: number;

                /**
                 * Creates a new PruneRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns PruneRequest instance
                 */
                static create(properties: moby.buildkit.v1.PruneRequest.$Shape): moby.buildkit.v1.PruneRequest & moby.buildkit.v1.PruneRequest.$Shape;
                static create(properties?: moby.buildkit.v1.PruneRequest.$Properties): moby.buildkit.v1.PruneRequest;

                /**
                 * Encodes the specified PruneRequest message. Does not implicitly {@link moby.buildkit.v1.PruneRequest.verify|verify} messages.
                 * @param message PruneRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.PruneRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a PruneRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.PruneRequest & moby.buildkit.v1.PruneRequest.$Shape} PruneRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.PruneRequest & moby.buildkit.v1.PruneRequest.$Shape;

                /**
                 * Creates a PruneRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns PruneRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.PruneRequest;

                /**
                 * Creates a plain object from a PruneRequest message. Also converts values to other types if specified.
                 * @param message PruneRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.PruneRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this PruneRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace PruneRequest {

                /** Properties of a PruneRequest. */
                interface $Properties {

                    /** PruneRequest filter */
                    filter?: (string[]|null);

                    /** PruneRequest all */
                    all?: (boolean|null);

                    /** ns */
                    keepDuration?: (number|null);

                    /** PruneRequest keepBytes */
                    keepBytes?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a PruneRequest. */
                type $Shape = moby.buildkit.v1.PruneRequest.$Properties;
            }

            /**
             * Properties of a DiskUsageRequest.
             * @deprecated Use moby.buildkit.v1.DiskUsageRequest.$Properties instead.
             */
            interface IDiskUsageRequest extends moby.buildkit.v1.DiskUsageRequest.$Properties {
            }

            /** Represents a DiskUsageRequest. */
            class DiskUsageRequest {

                /**
                 * Constructs a new DiskUsageRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.DiskUsageRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** DiskUsageRequest filter. */
                filter: string[];

                /**
                 * Creates a new DiskUsageRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns DiskUsageRequest instance
                 */
                static create(properties: moby.buildkit.v1.DiskUsageRequest.$Shape): moby.buildkit.v1.DiskUsageRequest & moby.buildkit.v1.DiskUsageRequest.$Shape;
                static create(properties?: moby.buildkit.v1.DiskUsageRequest.$Properties): moby.buildkit.v1.DiskUsageRequest;

                /**
                 * Encodes the specified DiskUsageRequest message. Does not implicitly {@link moby.buildkit.v1.DiskUsageRequest.verify|verify} messages.
                 * @param message DiskUsageRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.DiskUsageRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a DiskUsageRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.DiskUsageRequest & moby.buildkit.v1.DiskUsageRequest.$Shape} DiskUsageRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.DiskUsageRequest & moby.buildkit.v1.DiskUsageRequest.$Shape;

                /**
                 * Creates a DiskUsageRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns DiskUsageRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.DiskUsageRequest;

                /**
                 * Creates a plain object from a DiskUsageRequest message. Also converts values to other types if specified.
                 * @param message DiskUsageRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.DiskUsageRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this DiskUsageRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace DiskUsageRequest {

                /** Properties of a DiskUsageRequest. */
                interface $Properties {

                    /** DiskUsageRequest filter */
                    filter?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a DiskUsageRequest. */
                type $Shape = moby.buildkit.v1.DiskUsageRequest.$Properties;
            }

            /**
             * Properties of a DiskUsageResponse.
             * @deprecated Use moby.buildkit.v1.DiskUsageResponse.$Properties instead.
             */
            interface IDiskUsageResponse extends moby.buildkit.v1.DiskUsageResponse.$Properties {
            }

            /** Represents a DiskUsageResponse. */
            class DiskUsageResponse {

                /**
                 * Constructs a new DiskUsageResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.DiskUsageResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** DiskUsageResponse record. */
                record: moby.buildkit.v1.UsageRecord.$Properties[];

                /**
                 * Creates a new DiskUsageResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns DiskUsageResponse instance
                 */
                static create(properties: moby.buildkit.v1.DiskUsageResponse.$Shape): moby.buildkit.v1.DiskUsageResponse & moby.buildkit.v1.DiskUsageResponse.$Shape;
                static create(properties?: moby.buildkit.v1.DiskUsageResponse.$Properties): moby.buildkit.v1.DiskUsageResponse;

                /**
                 * Encodes the specified DiskUsageResponse message. Does not implicitly {@link moby.buildkit.v1.DiskUsageResponse.verify|verify} messages.
                 * @param message DiskUsageResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.DiskUsageResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a DiskUsageResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.DiskUsageResponse & moby.buildkit.v1.DiskUsageResponse.$Shape} DiskUsageResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.DiskUsageResponse & moby.buildkit.v1.DiskUsageResponse.$Shape;

                /**
                 * Creates a DiskUsageResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns DiskUsageResponse
                 */
                static fromObject(object: object): moby.buildkit.v1.DiskUsageResponse;

                /**
                 * Creates a plain object from a DiskUsageResponse message. Also converts values to other types if specified.
                 * @param message DiskUsageResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.DiskUsageResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this DiskUsageResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace DiskUsageResponse {

                /** Properties of a DiskUsageResponse. */
                interface $Properties {

                    /** DiskUsageResponse record */
                    record?: (moby.buildkit.v1.UsageRecord.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a DiskUsageResponse. */
                type $Shape = moby.buildkit.v1.DiskUsageResponse.$Properties;
            }

            /**
             * Properties of a UsageRecord.
             * @deprecated Use moby.buildkit.v1.UsageRecord.$Properties instead.
             */
            interface IUsageRecord extends moby.buildkit.v1.UsageRecord.$Properties {
            }

            /** One cache record. */
            class UsageRecord {

                /**
                 * Constructs a new UsageRecord.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.UsageRecord.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** UsageRecord ID. */
                ID: string;

                /** UsageRecord Mutable. */
                Mutable: boolean;

                /** UsageRecord InUse. */
                InUse: boolean;

                /** UsageRecord Size. */
                Size: number;

                /** superseded by Parents */
                Parent: string;

                /** UsageRecord CreatedAt. */
                CreatedAt?: (google.protobuf.Timestamp.$Properties|null);

                /** UsageRecord LastUsedAt. */
                LastUsedAt?: (google.protobuf.Timestamp.$Properties|null);

                /** UsageRecord UsageCount. */
                UsageCount: number;

                /** UsageRecord Description. */
                Description: string;

                /** UsageRecord RecordType. */
                RecordType: string;

                /** UsageRecord Shared. */
                Shared: boolean;

                /** UsageRecord Parents. */
                Parents: string[];

                /**
                 * Creates a new UsageRecord instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UsageRecord instance
                 */
                static create(properties: moby.buildkit.v1.UsageRecord.$Shape): moby.buildkit.v1.UsageRecord & moby.buildkit.v1.UsageRecord.$Shape;
                static create(properties?: moby.buildkit.v1.UsageRecord.$Properties): moby.buildkit.v1.UsageRecord;

                /**
                 * Encodes the specified UsageRecord message. Does not implicitly {@link moby.buildkit.v1.UsageRecord.verify|verify} messages.
                 * @param message UsageRecord message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.UsageRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a UsageRecord message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.UsageRecord & moby.buildkit.v1.UsageRecord.$Shape} UsageRecord
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.UsageRecord & moby.buildkit.v1.UsageRecord.$Shape;

                /**
                 * Creates a UsageRecord message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UsageRecord
                 */
                static fromObject(object: object): moby.buildkit.v1.UsageRecord;

                /**
                 * Creates a plain object from a UsageRecord message. Also converts values to other types if specified.
                 * @param message UsageRecord
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.UsageRecord, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this UsageRecord to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace UsageRecord {

                /** Properties of a UsageRecord. */
                interface $Properties {

                    /** UsageRecord ID */
                    ID?: (string|null);

                    /** UsageRecord Mutable */
                    Mutable?: (boolean|null);

                    /** UsageRecord InUse */
                    InUse?: (boolean|null);

                    /** UsageRecord Size */
                    Size?: (number|null);

                    /** superseded by Parents */
                    Parent?: (string|null);

                    /** UsageRecord CreatedAt */
                    CreatedAt?: (google.protobuf.Timestamp.$Properties|null);

                    /** UsageRecord LastUsedAt */
                    LastUsedAt?: (google.protobuf.Timestamp.$Properties|null);

                    /** UsageRecord UsageCount */
                    UsageCount?: (number|null);

                    /** UsageRecord Description */
                    Description?: (string|null);

                    /** UsageRecord RecordType */
                    RecordType?: (string|null);

                    /** UsageRecord Shared */
                    Shared?: (boolean|null);

                    /** UsageRecord Parents */
                    Parents?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a UsageRecord. */
                type $Shape = moby.buildkit.v1.UsageRecord.$Properties;
            }

            /**
             * Properties of a SolveRequest.
             * @deprecated Use moby.buildkit.v1.SolveRequest.$Properties instead.
             */
            interface ISolveRequest extends moby.buildkit.v1.SolveRequest.$Properties {
            }

            /** Starts a build. Leave Definition unset (not empty) to drive the build through the LLBBridge gateway. */
            class SolveRequest {

                /**
                 * Constructs a new SolveRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.SolveRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** SolveRequest Ref. */
                Ref: string;

                /** SolveRequest Definition. */
                Definition?: (pb.Definition.$Properties|null);

                /** SolveRequest Exporter. */
                Exporter: string;

                /** SolveRequest ExporterAttrs. */
                ExporterAttrs: { [k: string]: string };

                /** SolveRequest Session. */
                Session: string;

                /** SolveRequest Frontend. */
                Frontend: string;

                /** SolveRequest FrontendAttrs. */
                FrontendAttrs: { [k: string]: string };

                /** SolveRequest Cache. */
                Cache?: (moby.buildkit.v1.CacheOptions.$Properties|null);

                /** SolveRequest Entitlements. */
                Entitlements: string[];

                /** SolveRequest FrontendInputs. */
                FrontendInputs: { [k: string]: pb.Definition.$Properties };

                /** v0.11+: keep out of build history */
                Internal: boolean;

                /** v0.11+ */
                SourcePolicy?: (moby.buildkit.v1.sourcepolicy.Policy.$Properties|null);

                /**
                 * Creates a new SolveRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns SolveRequest instance
                 */
                static create(properties: moby.buildkit.v1.SolveRequest.$Shape): moby.buildkit.v1.SolveRequest & moby.buildkit.v1.SolveRequest.$Shape;
                static create(properties?: moby.buildkit.v1.SolveRequest.$Properties): moby.buildkit.v1.SolveRequest;

                /**
                 * Encodes the specified SolveRequest message. Does not implicitly {@link moby.buildkit.v1.SolveRequest.verify|verify} messages.
                 * @param message SolveRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.SolveRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a SolveRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.SolveRequest & moby.buildkit.v1.SolveRequest.$Shape} SolveRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.SolveRequest & moby.buildkit.v1.SolveRequest.$Shape;

                /**
                 * Creates a SolveRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns SolveRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.SolveRequest;

                /**
                 * Creates a plain object from a SolveRequest message. Also converts values to other types if specified.
                 * @param message SolveRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.SolveRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this SolveRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace SolveRequest {

                /** Properties of a SolveRequest. */
                interface $Properties {

                    /** SolveRequest Ref */
                    Ref?: (string|null);

                    /** SolveRequest Definition */
                    Definition?: (pb.Definition.$Properties|null);

                    /** SolveRequest Exporter */
                    Exporter?: (string|null);

                    /** SolveRequest ExporterAttrs */
                    ExporterAttrs?: ({ [k: string]: string }|null);

                    /** SolveRequest Session */
                    Session?: (string|null);

                    /** SolveRequest Frontend */
                    Frontend?: (string|null);

                    /** SolveRequest FrontendAttrs */
                    FrontendAttrs?: ({ [k: string]: string }|null);

                    /** SolveRequest Cache */
                    Cache?: (moby.buildkit.v1.CacheOptions.$Properties|null);

                    /** SolveRequest Entitlements */
                    Entitlements?: (string[]|null);

                    /** SolveRequest FrontendInputs */
                    FrontendInputs?: ({ [k: string]: pb.Definition.$Properties }|null);

                    /** v0.11+: keep out of build history */
                    Internal?: (boolean|null);

                    /** v0.11+ */
                    SourcePolicy?: (moby.buildkit.v1.sourcepolicy.Policy.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a SolveRequest. */
                type $Shape = moby.buildkit.v1.SolveRequest.$Properties;
            }

            /**
             * Properties of a CacheOptions.
             * @deprecated Use moby.buildkit.v1.CacheOptions.$Properties instead.
             */
            interface ICacheOptions extends moby.buildkit.v1.CacheOptions.$Properties {
            }

            /** Cache import/export configuration. */
            class CacheOptions {

                /**
                 * Constructs a new CacheOptions.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.CacheOptions.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CacheOptions ExportRefDeprecated. */
                ExportRefDeprecated: string;

                /** CacheOptions ImportRefsDeprecated. */
                ImportRefsDeprecated: string[];

                /** CacheOptions ExportAttrsDeprecated. */
                ExportAttrsDeprecated: { [k: string]: string };

                /** CacheOptions Exports. */
                Exports: moby.buildkit.v1.CacheOptionsEntry.$Properties[];

                /** CacheOptions Imports. */
                Imports: moby.buildkit.v1.CacheOptionsEntry.$Properties[];

                /**
                 * Creates a new CacheOptions instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CacheOptions instance
                 */
                static create(properties: moby.buildkit.v1.CacheOptions.$Shape): moby.buildkit.v1.CacheOptions & moby.buildkit.v1.CacheOptions.$Shape;
                static create(properties?: moby.buildkit.v1.CacheOptions.$Properties): moby.buildkit.v1.CacheOptions;

                /**
                 * Encodes the specified CacheOptions message. Does not implicitly {@link moby.buildkit.v1.CacheOptions.verify|verify} messages.
                 * @param message CacheOptions message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.CacheOptions.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CacheOptions message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.CacheOptions & moby.buildkit.v1.CacheOptions.$Shape} CacheOptions
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.CacheOptions & moby.buildkit.v1.CacheOptions.$Shape;

                /**
                 * Creates a CacheOptions message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CacheOptions
                 */
                static fromObject(object: object): moby.buildkit.v1.CacheOptions;

                /**
                 * Creates a plain object from a CacheOptions message. Also converts values to other types if specified.
                 * @param message CacheOptions
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.CacheOptions, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this CacheOptions to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace CacheOptions {

                /** Properties of a CacheOptions. */
                interface $Properties {

                    /** CacheOptions ExportRefDeprecated */
                    ExportRefDeprecated?: (string|null);

                    /** CacheOptions ImportRefsDeprecated */
                    ImportRefsDeprecated?: (string[]|null);

                    /** CacheOptions ExportAttrsDeprecated */
                    ExportAttrsDeprecated?: ({ [k: string]: string }|null);

                    /** CacheOptions Exports */
                    Exports?: (moby.buildkit.v1.CacheOptionsEntry.$Properties[]|null);

                    /** CacheOptions Imports */
                    Imports?: (moby.buildkit.v1.CacheOptionsEntry.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CacheOptions. */
                type $Shape = moby.buildkit.v1.CacheOptions.$Properties;
            }

            /**
             * Properties of a CacheOptionsEntry.
             * @deprecated Use moby.buildkit.v1.CacheOptionsEntry.$Properties instead.
             */
            interface ICacheOptionsEntry extends moby.buildkit.v1.CacheOptionsEntry.$Properties {
            }

            /** One cache backend (registry, inline, local, gha, s3, azblob) with its attributes. */
            class CacheOptionsEntry {

                /**
                 * Constructs a new CacheOptionsEntry.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.CacheOptionsEntry.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CacheOptionsEntry Type. */
                Type: string;

                /** CacheOptionsEntry Attrs. */
                Attrs: { [k: string]: string };

                /**
                 * Creates a new CacheOptionsEntry instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CacheOptionsEntry instance
                 */
                static create(properties: moby.buildkit.v1.CacheOptionsEntry.$Shape): moby.buildkit.v1.CacheOptionsEntry & moby.buildkit.v1.CacheOptionsEntry.$Shape;
                static create(properties?: moby.buildkit.v1.CacheOptionsEntry.$Properties): moby.buildkit.v1.CacheOptionsEntry;

                /**
                 * Encodes the specified CacheOptionsEntry message. Does not implicitly {@link moby.buildkit.v1.CacheOptionsEntry.verify|verify} messages.
                 * @param message CacheOptionsEntry message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.CacheOptionsEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CacheOptionsEntry message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.CacheOptionsEntry & moby.buildkit.v1.CacheOptionsEntry.$Shape} CacheOptionsEntry
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.CacheOptionsEntry & moby.buildkit.v1.CacheOptionsEntry.$Shape;

                /**
                 * Creates a CacheOptionsEntry message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CacheOptionsEntry
                 */
                static fromObject(object: object): moby.buildkit.v1.CacheOptionsEntry;

                /**
                 * Creates a plain object from a CacheOptionsEntry message. Also converts values to other types if specified.
                 * @param message CacheOptionsEntry
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.CacheOptionsEntry, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this CacheOptionsEntry to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace CacheOptionsEntry {

                /** Properties of a CacheOptionsEntry. */
                interface $Properties {

                    /** CacheOptionsEntry Type */
                    Type?: (string|null);

                    /** CacheOptionsEntry Attrs */
                    Attrs?: ({ [k: string]: string }|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CacheOptionsEntry. */
                type $Shape = moby.buildkit.v1.CacheOptionsEntry.$Properties;
            }

            /**
             * Properties of a SolveResponse.
             * @deprecated Use moby.buildkit.v1.SolveResponse.$Properties instead.
             */
            interface ISolveResponse extends moby.buildkit.v1.SolveResponse.$Properties {
            }

            /** Represents a SolveResponse. */
            class SolveResponse {

                /**
                 * Constructs a new SolveResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.SolveResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** SolveResponse ExporterResponse. */
                ExporterResponse: { [k: string]: string };

                /**
                 * Creates a new SolveResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns SolveResponse instance
                 */
                static create(properties: moby.buildkit.v1.SolveResponse.$Shape): moby.buildkit.v1.SolveResponse & moby.buildkit.v1.SolveResponse.$Shape;
                static create(properties?: moby.buildkit.v1.SolveResponse.$Properties): moby.buildkit.v1.SolveResponse;

                /**
                 * Encodes the specified SolveResponse message. Does not implicitly {@link moby.buildkit.v1.SolveResponse.verify|verify} messages.
                 * @param message SolveResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.SolveResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a SolveResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.SolveResponse & moby.buildkit.v1.SolveResponse.$Shape} SolveResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.SolveResponse & moby.buildkit.v1.SolveResponse.$Shape;

                /**
                 * Creates a SolveResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns SolveResponse
                 */
                static fromObject(object: object): moby.buildkit.v1.SolveResponse;

                /**
                 * Creates a plain object from a SolveResponse message. Also converts values to other types if specified.
                 * @param message SolveResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.SolveResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this SolveResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace SolveResponse {

                /** Properties of a SolveResponse. */
                interface $Properties {

                    /** SolveResponse ExporterResponse */
                    ExporterResponse?: ({ [k: string]: string }|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a SolveResponse. */
                type $Shape = moby.buildkit.v1.SolveResponse.$Properties;
            }

            /**
             * Properties of a StatusRequest.
             * @deprecated Use moby.buildkit.v1.StatusRequest.$Properties instead.
             */
            interface IStatusRequest extends moby.buildkit.v1.StatusRequest.$Properties {
            }

            /** Represents a StatusRequest. */
            class StatusRequest {

                /**
                 * Constructs a new StatusRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.StatusRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** StatusRequest Ref. */
                Ref: string;

                /**
                 * Creates a new StatusRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns StatusRequest instance
                 */
                static create(properties: moby.buildkit.v1.StatusRequest.$Shape): moby.buildkit.v1.StatusRequest & moby.buildkit.v1.StatusRequest.$Shape;
                static create(properties?: moby.buildkit.v1.StatusRequest.$Properties): moby.buildkit.v1.StatusRequest;

                /**
                 * Encodes the specified StatusRequest message. Does not implicitly {@link moby.buildkit.v1.StatusRequest.verify|verify} messages.
                 * @param message StatusRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.StatusRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a StatusRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.StatusRequest & moby.buildkit.v1.StatusRequest.$Shape} StatusRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.StatusRequest & moby.buildkit.v1.StatusRequest.$Shape;

                /**
                 * Creates a StatusRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns StatusRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.StatusRequest;

                /**
                 * Creates a plain object from a StatusRequest message. Also converts values to other types if specified.
                 * @param message StatusRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.StatusRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this StatusRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace StatusRequest {

                /** Properties of a StatusRequest. */
                interface $Properties {

                    /** StatusRequest Ref */
                    Ref?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a StatusRequest. */
                type $Shape = moby.buildkit.v1.StatusRequest.$Properties;
            }

            /**
             * Properties of a StatusResponse.
             * @deprecated Use moby.buildkit.v1.StatusResponse.$Properties instead.
             */
            interface IStatusResponse extends moby.buildkit.v1.StatusResponse.$Properties {
            }

            /** One progress delta. */
            class StatusResponse {

                /**
                 * Constructs a new StatusResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.StatusResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** StatusResponse vertexes. */
                vertexes: moby.buildkit.v1.Vertex.$Properties[];

                /** StatusResponse statuses. */
                statuses: moby.buildkit.v1.VertexStatus.$Properties[];

                /** StatusResponse logs. */
                logs: moby.buildkit.v1.VertexLog.$Properties[];

                /** v0.10+ */
                warnings: moby.buildkit.v1.VertexWarning.$Properties[];

                /**
                 * Creates a new StatusResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns StatusResponse instance
                 */
                static create(properties: moby.buildkit.v1.StatusResponse.$Shape): moby.buildkit.v1.StatusResponse & moby.buildkit.v1.StatusResponse.$Shape;
                static create(properties?: moby.buildkit.v1.StatusResponse.$Properties): moby.buildkit.v1.StatusResponse;

                /**
                 * Encodes the specified StatusResponse message. Does not implicitly {@link moby.buildkit.v1.StatusResponse.verify|verify} messages.
                 * @param message StatusResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.StatusResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a StatusResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.StatusResponse & moby.buildkit.v1.StatusResponse.$Shape} StatusResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.StatusResponse & moby.buildkit.v1.StatusResponse.$Shape;

                /**
                 * Creates a StatusResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns StatusResponse
                 */
                static fromObject(object: object): moby.buildkit.v1.StatusResponse;

                /**
                 * Creates a plain object from a StatusResponse message. Also converts values to other types if specified.
                 * @param message StatusResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.StatusResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this StatusResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace StatusResponse {

                /** Properties of a StatusResponse. */
                interface $Properties {

                    /** StatusResponse vertexes */
                    vertexes?: (moby.buildkit.v1.Vertex.$Properties[]|null);

                    /** StatusResponse statuses */
                    statuses?: (moby.buildkit.v1.VertexStatus.$Properties[]|null);

                    /** StatusResponse logs */
                    logs?: (moby.buildkit.v1.VertexLog.$Properties[]|null);

                    /** v0.10+ */
                    warnings?: (moby.buildkit.v1.VertexWarning.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a StatusResponse. */
                type $Shape = moby.buildkit.v1.StatusResponse.$Properties;
            }

            /**
             * Properties of a Vertex.
             * @deprecated Use moby.buildkit.v1.Vertex.$Properties instead.
             */
            interface IVertex extends moby.buildkit.v1.Vertex.$Properties {
            }

            /** Represents a Vertex. */
            class Vertex {

                /**
                 * Constructs a new Vertex.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.Vertex.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Vertex digest. */
                digest: string;

                /** Vertex inputs. */
                inputs: string[];

                /** Vertex name. */
                name: string;

                /** Vertex cached. */
                cached: boolean;

                /** Vertex started. */
                started?: (google.protobuf.Timestamp.$Properties|null);

                /** Vertex completed. */
                completed?: (google.protobuf.Timestamp.$Properties|null);

                /** Vertex error. */
                error: string;

                /** v0.10+ */
                progressGroup?: (pb.ProgressGroup.$Properties|null);

                /**
                 * Creates a new Vertex instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Vertex instance
                 */
                static create(properties: moby.buildkit.v1.Vertex.$Shape): moby.buildkit.v1.Vertex & moby.buildkit.v1.Vertex.$Shape;
                static create(properties?: moby.buildkit.v1.Vertex.$Properties): moby.buildkit.v1.Vertex;

                /**
                 * Encodes the specified Vertex message. Does not implicitly {@link moby.buildkit.v1.Vertex.verify|verify} messages.
                 * @param message Vertex message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.Vertex.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Vertex message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.Vertex & moby.buildkit.v1.Vertex.$Shape} Vertex
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.Vertex & moby.buildkit.v1.Vertex.$Shape;

                /**
                 * Creates a Vertex message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Vertex
                 */
                static fromObject(object: object): moby.buildkit.v1.Vertex;

                /**
                 * Creates a plain object from a Vertex message. Also converts values to other types if specified.
                 * @param message Vertex
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.Vertex, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this Vertex to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace Vertex {

                /** Properties of a Vertex. */
                interface $Properties {

                    /** Vertex digest */
                    digest?: (string|null);

                    /** Vertex inputs */
                    inputs?: (string[]|null);

                    /** Vertex name */
                    name?: (string|null);

                    /** Vertex cached */
                    cached?: (boolean|null);

                    /** Vertex started */
                    started?: (google.protobuf.Timestamp.$Properties|null);

                    /** Vertex completed */
                    completed?: (google.protobuf.Timestamp.$Properties|null);

                    /** Vertex error */
                    error?: (string|null);

                    /** v0.10+ */
                    progressGroup?: (pb.ProgressGroup.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Vertex. */
                type $Shape = moby.buildkit.v1.Vertex.$Properties;
            }

            /**
             * Properties of a VertexStatus.
             * @deprecated Use moby.buildkit.v1.VertexStatus.$Properties instead.
             */
            interface IVertexStatus extends moby.buildkit.v1.VertexStatus.$Properties {
            }

            /** Progress of a sub-task of a vertex (a layer pull, a context transfer...). */
            class VertexStatus {

                /**
                 * Constructs a new VertexStatus.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.VertexStatus.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** VertexStatus ID. */
                ID: string;

                /** VertexStatus vertex. */
                vertex: string;

                /** VertexStatus name. */
                name: string;

                /** VertexStatus current. */
                current: number;

                /** VertexStatus total. */
                total: number;

                /** VertexStatus timestamp. */
                timestamp?: (google.protobuf.Timestamp.$Properties|null);

                /** VertexStatus started. */
                started?: (google.protobuf.Timestamp.$Properties|null);

                /** VertexStatus completed. */
                completed?: (google.protobuf.Timestamp.$Properties|null);

                /**
                 * Creates a new VertexStatus instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns VertexStatus instance
                 */
                static create(properties: moby.buildkit.v1.VertexStatus.$Shape): moby.buildkit.v1.VertexStatus & moby.buildkit.v1.VertexStatus.$Shape;
                static create(properties?: moby.buildkit.v1.VertexStatus.$Properties): moby.buildkit.v1.VertexStatus;

                /**
                 * Encodes the specified VertexStatus message. Does not implicitly {@link moby.buildkit.v1.VertexStatus.verify|verify} messages.
                 * @param message VertexStatus message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.VertexStatus.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a VertexStatus message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.VertexStatus & moby.buildkit.v1.VertexStatus.$Shape} VertexStatus
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.VertexStatus & moby.buildkit.v1.VertexStatus.$Shape;

                /**
                 * Creates a VertexStatus message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns VertexStatus
                 */
                static fromObject(object: object): moby.buildkit.v1.VertexStatus;

                /**
                 * Creates a plain object from a VertexStatus message. Also converts values to other types if specified.
                 * @param message VertexStatus
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.VertexStatus, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this VertexStatus to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace VertexStatus {

                /** Properties of a VertexStatus. */
                interface $Properties {

                    /** VertexStatus ID */
                    ID?: (string|null);

                    /** VertexStatus vertex */
                    vertex?: (string|null);

                    /** VertexStatus name */
                    name?: (string|null);

                    /** VertexStatus current */
                    current?: (number|null);

                    /** VertexStatus total */
                    total?: (number|null);

                    /** VertexStatus timestamp */
                    timestamp?: (google.protobuf.Timestamp.$Properties|null);

                    /** VertexStatus started */
                    started?: (google.protobuf.Timestamp.$Properties|null);

                    /** VertexStatus completed */
                    completed?: (google.protobuf.Timestamp.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a VertexStatus. */
                type $Shape = moby.buildkit.v1.VertexStatus.$Properties;
            }

            /**
             * Properties of a VertexLog.
             * @deprecated Use moby.buildkit.v1.VertexLog.$Properties instead.
             */
            interface IVertexLog extends moby.buildkit.v1.VertexLog.$Properties {
            }

            /** A chunk of process output (stream 1 = stdout, 2 = stderr). */
            class VertexLog {

                /**
                 * Constructs a new VertexLog.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.VertexLog.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** VertexLog vertex. */
                vertex: string;

                /** VertexLog timestamp. */
                timestamp?: (google.protobuf.Timestamp.$Properties|null);

                /** VertexLog stream. */
                stream: number;

                /** VertexLog msg. */
                msg: Uint8Array;

                /**
                 * Creates a new VertexLog instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns VertexLog instance
                 */
                static create(properties: moby.buildkit.v1.VertexLog.$Shape): moby.buildkit.v1.VertexLog & moby.buildkit.v1.VertexLog.$Shape;
                static create(properties?: moby.buildkit.v1.VertexLog.$Properties): moby.buildkit.v1.VertexLog;

                /**
                 * Encodes the specified VertexLog message. Does not implicitly {@link moby.buildkit.v1.VertexLog.verify|verify} messages.
                 * @param message VertexLog message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.VertexLog.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a VertexLog message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.VertexLog & moby.buildkit.v1.VertexLog.$Shape} VertexLog
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.VertexLog & moby.buildkit.v1.VertexLog.$Shape;

                /**
                 * Creates a VertexLog message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns VertexLog
                 */
                static fromObject(object: object): moby.buildkit.v1.VertexLog;

                /**
                 * Creates a plain object from a VertexLog message. Also converts values to other types if specified.
                 * @param message VertexLog
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.VertexLog, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this VertexLog to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace VertexLog {

                /** Properties of a VertexLog. */
                interface $Properties {

                    /** VertexLog vertex */
                    vertex?: (string|null);

                    /** VertexLog timestamp */
                    timestamp?: (google.protobuf.Timestamp.$Properties|null);

                    /** VertexLog stream */
                    stream?: (number|null);

                    /** VertexLog msg */
                    msg?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a VertexLog. */
                type $Shape = moby.buildkit.v1.VertexLog.$Properties;
            }

            /**
             * Properties of a VertexWarning.
             * @deprecated Use moby.buildkit.v1.VertexWarning.$Properties instead.
             */
            interface IVertexWarning extends moby.buildkit.v1.VertexWarning.$Properties {
            }

            /** Represents a VertexWarning. */
            class VertexWarning {

                /**
                 * Constructs a new VertexWarning.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.VertexWarning.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** VertexWarning vertex. */
                vertex: string;

                /** VertexWarning level. */
                level: number;

                /** VertexWarning short. */
                short: Uint8Array;

                /** VertexWarning detail. */
                detail: Uint8Array[];

                /** VertexWarning url. */
                url: string;

                /** VertexWarning info. */
                info?: (pb.SourceInfo.$Properties|null);

                /** VertexWarning ranges. */
                ranges: pb.Range.$Properties[];

                /**
                 * Creates a new VertexWarning instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns VertexWarning instance
                 */
                static create(properties: moby.buildkit.v1.VertexWarning.$Shape): moby.buildkit.v1.VertexWarning & moby.buildkit.v1.VertexWarning.$Shape;
                static create(properties?: moby.buildkit.v1.VertexWarning.$Properties): moby.buildkit.v1.VertexWarning;

                /**
                 * Encodes the specified VertexWarning message. Does not implicitly {@link moby.buildkit.v1.VertexWarning.verify|verify} messages.
                 * @param message VertexWarning message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.VertexWarning.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a VertexWarning message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.VertexWarning & moby.buildkit.v1.VertexWarning.$Shape} VertexWarning
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.VertexWarning & moby.buildkit.v1.VertexWarning.$Shape;

                /**
                 * Creates a VertexWarning message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns VertexWarning
                 */
                static fromObject(object: object): moby.buildkit.v1.VertexWarning;

                /**
                 * Creates a plain object from a VertexWarning message. Also converts values to other types if specified.
                 * @param message VertexWarning
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.VertexWarning, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this VertexWarning to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace VertexWarning {

                /** Properties of a VertexWarning. */
                interface $Properties {

                    /** VertexWarning vertex */
                    vertex?: (string|null);

                    /** VertexWarning level */
                    level?: (number|null);

                    /** VertexWarning short */
                    short?: (Uint8Array|null);

                    /** VertexWarning detail */
                    detail?: (Uint8Array[]|null);

                    /** VertexWarning url */
                    url?: (string|null);

                    /** VertexWarning info */
                    info?: (pb.SourceInfo.$Properties|null);

                    /** VertexWarning ranges */
                    ranges?: (pb.Range.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a VertexWarning. */
                type $Shape = moby.buildkit.v1.VertexWarning.$Properties;
            }

            /**
             * Properties of a BytesMessage.
             * @deprecated Use moby.buildkit.v1.BytesMessage.$Properties instead.
             */
            interface IBytesMessage extends moby.buildkit.v1.BytesMessage.$Properties {
            }

            /** A chunk of raw bytes (session tunnel). */
            class BytesMessage {

                /**
                 * Constructs a new BytesMessage.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.BytesMessage.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BytesMessage data. */
                data: Uint8Array;

                /**
                 * Creates a new BytesMessage instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BytesMessage instance
                 */
                static create(properties: moby.buildkit.v1.BytesMessage.$Shape): moby.buildkit.v1.BytesMessage & moby.buildkit.v1.BytesMessage.$Shape;
                static create(properties?: moby.buildkit.v1.BytesMessage.$Properties): moby.buildkit.v1.BytesMessage;

                /**
                 * Encodes the specified BytesMessage message. Does not implicitly {@link moby.buildkit.v1.BytesMessage.verify|verify} messages.
                 * @param message BytesMessage message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.BytesMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BytesMessage message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.BytesMessage & moby.buildkit.v1.BytesMessage.$Shape} BytesMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.BytesMessage & moby.buildkit.v1.BytesMessage.$Shape;

                /**
                 * Creates a BytesMessage message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BytesMessage
                 */
                static fromObject(object: object): moby.buildkit.v1.BytesMessage;

                /**
                 * Creates a plain object from a BytesMessage message. Also converts values to other types if specified.
                 * @param message BytesMessage
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.BytesMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BytesMessage to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BytesMessage {

                /** Properties of a BytesMessage. */
                interface $Properties {

                    /** BytesMessage data */
                    data?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BytesMessage. */
                type $Shape = moby.buildkit.v1.BytesMessage.$Properties;
            }

            /**
             * Properties of a ListWorkersRequest.
             * @deprecated Use moby.buildkit.v1.ListWorkersRequest.$Properties instead.
             */
            interface IListWorkersRequest extends moby.buildkit.v1.ListWorkersRequest.$Properties {
            }

            /** Represents a ListWorkersRequest. */
            class ListWorkersRequest {

                /**
                 * Constructs a new ListWorkersRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.ListWorkersRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ListWorkersRequest filter. */
                filter: string[];

                /**
                 * Creates a new ListWorkersRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ListWorkersRequest instance
                 */
                static create(properties: moby.buildkit.v1.ListWorkersRequest.$Shape): moby.buildkit.v1.ListWorkersRequest & moby.buildkit.v1.ListWorkersRequest.$Shape;
                static create(properties?: moby.buildkit.v1.ListWorkersRequest.$Properties): moby.buildkit.v1.ListWorkersRequest;

                /**
                 * Encodes the specified ListWorkersRequest message. Does not implicitly {@link moby.buildkit.v1.ListWorkersRequest.verify|verify} messages.
                 * @param message ListWorkersRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.ListWorkersRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ListWorkersRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.ListWorkersRequest & moby.buildkit.v1.ListWorkersRequest.$Shape} ListWorkersRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.ListWorkersRequest & moby.buildkit.v1.ListWorkersRequest.$Shape;

                /**
                 * Creates a ListWorkersRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns ListWorkersRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.ListWorkersRequest;

                /**
                 * Creates a plain object from a ListWorkersRequest message. Also converts values to other types if specified.
                 * @param message ListWorkersRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.ListWorkersRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this ListWorkersRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace ListWorkersRequest {

                /** Properties of a ListWorkersRequest. */
                interface $Properties {

                    /** ListWorkersRequest filter */
                    filter?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ListWorkersRequest. */
                type $Shape = moby.buildkit.v1.ListWorkersRequest.$Properties;
            }

            /**
             * Properties of a ListWorkersResponse.
             * @deprecated Use moby.buildkit.v1.ListWorkersResponse.$Properties instead.
             */
            interface IListWorkersResponse extends moby.buildkit.v1.ListWorkersResponse.$Properties {
            }

            /** Represents a ListWorkersResponse. */
            class ListWorkersResponse {

                /**
                 * Constructs a new ListWorkersResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.ListWorkersResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ListWorkersResponse record. */
                record: moby.buildkit.v1.types.WorkerRecord.$Properties[];

                /**
                 * Creates a new ListWorkersResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns ListWorkersResponse instance
                 */
                static create(properties: moby.buildkit.v1.ListWorkersResponse.$Shape): moby.buildkit.v1.ListWorkersResponse & moby.buildkit.v1.ListWorkersResponse.$Shape;
                static create(properties?: moby.buildkit.v1.ListWorkersResponse.$Properties): moby.buildkit.v1.ListWorkersResponse;

                /**
                 * Encodes the specified ListWorkersResponse message. Does not implicitly {@link moby.buildkit.v1.ListWorkersResponse.verify|verify} messages.
                 * @param message ListWorkersResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.ListWorkersResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ListWorkersResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.ListWorkersResponse & moby.buildkit.v1.ListWorkersResponse.$Shape} ListWorkersResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.ListWorkersResponse & moby.buildkit.v1.ListWorkersResponse.$Shape;

                /**
                 * Creates a ListWorkersResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns ListWorkersResponse
                 */
                static fromObject(object: object): moby.buildkit.v1.ListWorkersResponse;

                /**
                 * Creates a plain object from a ListWorkersResponse message. Also converts values to other types if specified.
                 * @param message ListWorkersResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.ListWorkersResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this ListWorkersResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace ListWorkersResponse {

                /** Properties of a ListWorkersResponse. */
                interface $Properties {

                    /** ListWorkersResponse record */
                    record?: (moby.buildkit.v1.types.WorkerRecord.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ListWorkersResponse. */
                type $Shape = moby.buildkit.v1.ListWorkersResponse.$Properties;
            }

            /**
             * Properties of an InfoRequest.
             * @deprecated Use moby.buildkit.v1.InfoRequest.$Properties instead.
             */
            interface IInfoRequest extends moby.buildkit.v1.InfoRequest.$Properties {
            }

            /** Represents an InfoRequest. */
            class InfoRequest {

                /**
                 * Constructs a new InfoRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.InfoRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /**
                 * Creates a new InfoRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns InfoRequest instance
                 */
                static create(properties: moby.buildkit.v1.InfoRequest.$Shape): moby.buildkit.v1.InfoRequest & moby.buildkit.v1.InfoRequest.$Shape;
                static create(properties?: moby.buildkit.v1.InfoRequest.$Properties): moby.buildkit.v1.InfoRequest;

                /**
                 * Encodes the specified InfoRequest message. Does not implicitly {@link moby.buildkit.v1.InfoRequest.verify|verify} messages.
                 * @param message InfoRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.InfoRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an InfoRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.InfoRequest & moby.buildkit.v1.InfoRequest.$Shape} InfoRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.InfoRequest & moby.buildkit.v1.InfoRequest.$Shape;

                /**
                 * Creates an InfoRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns InfoRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.InfoRequest;

                /**
                 * Creates a plain object from an InfoRequest message. Also converts values to other types if specified.
                 * @param message InfoRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.InfoRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this InfoRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace InfoRequest {

                /** Properties of an InfoRequest. */
                interface $Properties {

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an InfoRequest. */
                type $Shape = moby.buildkit.v1.InfoRequest.$Properties;
            }

            /**
             * Properties of an InfoResponse.
             * @deprecated Use moby.buildkit.v1.InfoResponse.$Properties instead.
             */
            interface IInfoResponse extends moby.buildkit.v1.InfoResponse.$Properties {
            }

            /** Represents an InfoResponse. */
            class InfoResponse {

                /**
                 * Constructs a new InfoResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.InfoResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** InfoResponse buildkitVersion. */
                buildkitVersion?: (moby.buildkit.v1.types.BuildkitVersion.$Properties|null);

                /**
                 * Creates a new InfoResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns InfoResponse instance
                 */
                static create(properties: moby.buildkit.v1.InfoResponse.$Shape): moby.buildkit.v1.InfoResponse & moby.buildkit.v1.InfoResponse.$Shape;
                static create(properties?: moby.buildkit.v1.InfoResponse.$Properties): moby.buildkit.v1.InfoResponse;

                /**
                 * Encodes the specified InfoResponse message. Does not implicitly {@link moby.buildkit.v1.InfoResponse.verify|verify} messages.
                 * @param message InfoResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.InfoResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an InfoResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.InfoResponse & moby.buildkit.v1.InfoResponse.$Shape} InfoResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.InfoResponse & moby.buildkit.v1.InfoResponse.$Shape;

                /**
                 * Creates an InfoResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns InfoResponse
                 */
                static fromObject(object: object): moby.buildkit.v1.InfoResponse;

                /**
                 * Creates a plain object from an InfoResponse message. Also converts values to other types if specified.
                 * @param message InfoResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.InfoResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this InfoResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace InfoResponse {

                /** Properties of an InfoResponse. */
                interface $Properties {

                    /** InfoResponse buildkitVersion */
                    buildkitVersion?: (moby.buildkit.v1.types.BuildkitVersion.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an InfoResponse. */
                type $Shape = moby.buildkit.v1.InfoResponse.$Properties;
            }

            /**
             * Properties of a BuildHistoryRequest.
             * @deprecated Use moby.buildkit.v1.BuildHistoryRequest.$Properties instead.
             */
            interface IBuildHistoryRequest extends moby.buildkit.v1.BuildHistoryRequest.$Properties {
            }

            /** Represents a BuildHistoryRequest. */
            class BuildHistoryRequest {

                /**
                 * Constructs a new BuildHistoryRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.BuildHistoryRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BuildHistoryRequest ActiveOnly. */
                ActiveOnly: boolean;

                /** BuildHistoryRequest Ref. */
                Ref: string;

                /** BuildHistoryRequest EarlyExit. */
                EarlyExit: boolean;

                /**
                 * Creates a new BuildHistoryRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BuildHistoryRequest instance
                 */
                static create(properties: moby.buildkit.v1.BuildHistoryRequest.$Shape): moby.buildkit.v1.BuildHistoryRequest & moby.buildkit.v1.BuildHistoryRequest.$Shape;
                static create(properties?: moby.buildkit.v1.BuildHistoryRequest.$Properties): moby.buildkit.v1.BuildHistoryRequest;

                /**
                 * Encodes the specified BuildHistoryRequest message. Does not implicitly {@link moby.buildkit.v1.BuildHistoryRequest.verify|verify} messages.
                 * @param message BuildHistoryRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.BuildHistoryRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BuildHistoryRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.BuildHistoryRequest & moby.buildkit.v1.BuildHistoryRequest.$Shape} BuildHistoryRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.BuildHistoryRequest & moby.buildkit.v1.BuildHistoryRequest.$Shape;

                /**
                 * Creates a BuildHistoryRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BuildHistoryRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.BuildHistoryRequest;

                /**
                 * Creates a plain object from a BuildHistoryRequest message. Also converts values to other types if specified.
                 * @param message BuildHistoryRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.BuildHistoryRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BuildHistoryRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BuildHistoryRequest {

                /** Properties of a BuildHistoryRequest. */
                interface $Properties {

                    /** BuildHistoryRequest ActiveOnly */
                    ActiveOnly?: (boolean|null);

                    /** BuildHistoryRequest Ref */
                    Ref?: (string|null);

                    /** BuildHistoryRequest EarlyExit */
                    EarlyExit?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BuildHistoryRequest. */
                type $Shape = moby.buildkit.v1.BuildHistoryRequest.$Properties;
            }

            /** BuildHistoryEventType enum. */
            enum BuildHistoryEventType {

                /** STARTED value */
                STARTED = 0,

                /** COMPLETE value */
                COMPLETE = 1,

                /** DELETED value */
                DELETED = 2
            }

            /**
             * Properties of a BuildHistoryEvent.
             * @deprecated Use moby.buildkit.v1.BuildHistoryEvent.$Properties instead.
             */
            interface IBuildHistoryEvent extends moby.buildkit.v1.BuildHistoryEvent.$Properties {
            }

            /** Represents a BuildHistoryEvent. */
            class BuildHistoryEvent {

                /**
                 * Constructs a new BuildHistoryEvent.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.BuildHistoryEvent.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BuildHistoryEvent type. */
                type: moby.buildkit.v1.BuildHistoryEventType;

                /** BuildHistoryEvent record. */
                record?: (moby.buildkit.v1.BuildHistoryRecord.$Properties|null);

                /**
                 * Creates a new BuildHistoryEvent instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BuildHistoryEvent instance
                 */
                static create(properties: moby.buildkit.v1.BuildHistoryEvent.$Shape): moby.buildkit.v1.BuildHistoryEvent & moby.buildkit.v1.BuildHistoryEvent.$Shape;
                static create(properties?: moby.buildkit.v1.BuildHistoryEvent.$Properties): moby.buildkit.v1.BuildHistoryEvent;

                /**
                 * Encodes the specified BuildHistoryEvent message. Does not implicitly {@link moby.buildkit.v1.BuildHistoryEvent.verify|verify} messages.
                 * @param message BuildHistoryEvent message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.BuildHistoryEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BuildHistoryEvent message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.BuildHistoryEvent & moby.buildkit.v1.BuildHistoryEvent.$Shape} BuildHistoryEvent
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.BuildHistoryEvent & moby.buildkit.v1.BuildHistoryEvent.$Shape;

                /**
                 * Creates a BuildHistoryEvent message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BuildHistoryEvent
                 */
                static fromObject(object: object): moby.buildkit.v1.BuildHistoryEvent;

                /**
                 * Creates a plain object from a BuildHistoryEvent message. Also converts values to other types if specified.
                 * @param message BuildHistoryEvent
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.BuildHistoryEvent, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BuildHistoryEvent to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BuildHistoryEvent {

                /** Properties of a BuildHistoryEvent. */
                interface $Properties {

                    /** BuildHistoryEvent type */
                    type?: (moby.buildkit.v1.BuildHistoryEventType|null);

                    /** BuildHistoryEvent record */
                    record?: (moby.buildkit.v1.BuildHistoryRecord.$Properties|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BuildHistoryEvent. */
                type $Shape = moby.buildkit.v1.BuildHistoryEvent.$Properties;
            }

            /**
             * Properties of a BuildHistoryRecord.
             * @deprecated Use moby.buildkit.v1.BuildHistoryRecord.$Properties instead.
             */
            interface IBuildHistoryRecord extends moby.buildkit.v1.BuildHistoryRecord.$Properties {
            }

            /** Represents a BuildHistoryRecord. */
            class BuildHistoryRecord {

                /**
                 * Constructs a new BuildHistoryRecord.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.BuildHistoryRecord.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BuildHistoryRecord Ref. */
                Ref: string;

                /** BuildHistoryRecord Frontend. */
                Frontend: string;

                /** BuildHistoryRecord FrontendAttrs. */
                FrontendAttrs: { [k: string]: string };

                /** BuildHistoryRecord Exporters. */
                Exporters: moby.buildkit.v1.Exporter.$Properties[];

                /** BuildHistoryRecord error. */
                error?: (google.rpc.Status.$Properties|null);

                /** BuildHistoryRecord CreatedAt. */
                CreatedAt?: (google.protobuf.Timestamp.$Properties|null);

                /** BuildHistoryRecord CompletedAt. */
                CompletedAt?: (google.protobuf.Timestamp.$Properties|null);

                /** BuildHistoryRecord logs. */
                logs?: (moby.buildkit.v1.Descriptor.$Properties|null);

                /** BuildHistoryRecord ExporterResponse. */
                ExporterResponse: { [k: string]: string };

                /** BuildHistoryRecord Result. */
                Result?: (moby.buildkit.v1.BuildResultInfo.$Properties|null);

                /** BuildHistoryRecord Results. */
                Results: { [k: string]: moby.buildkit.v1.BuildResultInfo.$Properties };

                /** BuildHistoryRecord Generation. */
                Generation: number;

                /** BuildHistoryRecord trace. */
                trace?: (moby.buildkit.v1.Descriptor.$Properties|null);

                /** BuildHistoryRecord pinned. */
                pinned: boolean;

                /** BuildHistoryRecord numCachedSteps. */
                numCachedSteps: number;

                /** BuildHistoryRecord numTotalSteps. */
                numTotalSteps: number;

                /** BuildHistoryRecord numCompletedSteps. */
                numCompletedSteps: number;

                /**
                 * Creates a new BuildHistoryRecord instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BuildHistoryRecord instance
                 */
                static create(properties: moby.buildkit.v1.BuildHistoryRecord.$Shape): moby.buildkit.v1.BuildHistoryRecord & moby.buildkit.v1.BuildHistoryRecord.$Shape;
                static create(properties?: moby.buildkit.v1.BuildHistoryRecord.$Properties): moby.buildkit.v1.BuildHistoryRecord;

                /**
                 * Encodes the specified BuildHistoryRecord message. Does not implicitly {@link moby.buildkit.v1.BuildHistoryRecord.verify|verify} messages.
                 * @param message BuildHistoryRecord message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.BuildHistoryRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BuildHistoryRecord message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.BuildHistoryRecord & moby.buildkit.v1.BuildHistoryRecord.$Shape} BuildHistoryRecord
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.BuildHistoryRecord & moby.buildkit.v1.BuildHistoryRecord.$Shape;

                /**
                 * Creates a BuildHistoryRecord message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BuildHistoryRecord
                 */
                static fromObject(object: object): moby.buildkit.v1.BuildHistoryRecord;

                /**
                 * Creates a plain object from a BuildHistoryRecord message. Also converts values to other types if specified.
                 * @param message BuildHistoryRecord
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.BuildHistoryRecord, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BuildHistoryRecord to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BuildHistoryRecord {

                /** Properties of a BuildHistoryRecord. */
                interface $Properties {

                    /** BuildHistoryRecord Ref */
                    Ref?: (string|null);

                    /** BuildHistoryRecord Frontend */
                    Frontend?: (string|null);

                    /** BuildHistoryRecord FrontendAttrs */
                    FrontendAttrs?: ({ [k: string]: string }|null);

                    /** BuildHistoryRecord Exporters */
                    Exporters?: (moby.buildkit.v1.Exporter.$Properties[]|null);

                    /** BuildHistoryRecord error */
                    error?: (google.rpc.Status.$Properties|null);

                    /** BuildHistoryRecord CreatedAt */
                    CreatedAt?: (google.protobuf.Timestamp.$Properties|null);

                    /** BuildHistoryRecord CompletedAt */
                    CompletedAt?: (google.protobuf.Timestamp.$Properties|null);

                    /** BuildHistoryRecord logs */
                    logs?: (moby.buildkit.v1.Descriptor.$Properties|null);

                    /** BuildHistoryRecord ExporterResponse */
                    ExporterResponse?: ({ [k: string]: string }|null);

                    /** BuildHistoryRecord Result */
                    Result?: (moby.buildkit.v1.BuildResultInfo.$Properties|null);

                    /** BuildHistoryRecord Results */
                    Results?: ({ [k: string]: moby.buildkit.v1.BuildResultInfo.$Properties }|null);

                    /** BuildHistoryRecord Generation */
                    Generation?: (number|null);

                    /** BuildHistoryRecord trace */
                    trace?: (moby.buildkit.v1.Descriptor.$Properties|null);

                    /** BuildHistoryRecord pinned */
                    pinned?: (boolean|null);

                    /** BuildHistoryRecord numCachedSteps */
                    numCachedSteps?: (number|null);

                    /** BuildHistoryRecord numTotalSteps */
                    numTotalSteps?: (number|null);

                    /** BuildHistoryRecord numCompletedSteps */
                    numCompletedSteps?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BuildHistoryRecord. */
                type $Shape = moby.buildkit.v1.BuildHistoryRecord.$Properties;
            }

            /**
             * Properties of an UpdateBuildHistoryRequest.
             * @deprecated Use moby.buildkit.v1.UpdateBuildHistoryRequest.$Properties instead.
             */
            interface IUpdateBuildHistoryRequest extends moby.buildkit.v1.UpdateBuildHistoryRequest.$Properties {
            }

            /** Represents an UpdateBuildHistoryRequest. */
            class UpdateBuildHistoryRequest {

                /**
                 * Constructs a new UpdateBuildHistoryRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.UpdateBuildHistoryRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** UpdateBuildHistoryRequest Ref. */
                Ref: string;

                /** UpdateBuildHistoryRequest Pinned. */
                Pinned: boolean;

                /** UpdateBuildHistoryRequest Delete. */
                Delete: boolean;

                /**
                 * Creates a new UpdateBuildHistoryRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UpdateBuildHistoryRequest instance
                 */
                static create(properties: moby.buildkit.v1.UpdateBuildHistoryRequest.$Shape): moby.buildkit.v1.UpdateBuildHistoryRequest & moby.buildkit.v1.UpdateBuildHistoryRequest.$Shape;
                static create(properties?: moby.buildkit.v1.UpdateBuildHistoryRequest.$Properties): moby.buildkit.v1.UpdateBuildHistoryRequest;

                /**
                 * Encodes the specified UpdateBuildHistoryRequest message. Does not implicitly {@link moby.buildkit.v1.UpdateBuildHistoryRequest.verify|verify} messages.
                 * @param message UpdateBuildHistoryRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.UpdateBuildHistoryRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an UpdateBuildHistoryRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.UpdateBuildHistoryRequest & moby.buildkit.v1.UpdateBuildHistoryRequest.$Shape} UpdateBuildHistoryRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.UpdateBuildHistoryRequest & moby.buildkit.v1.UpdateBuildHistoryRequest.$Shape;

                /**
                 * Creates an UpdateBuildHistoryRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UpdateBuildHistoryRequest
                 */
                static fromObject(object: object): moby.buildkit.v1.UpdateBuildHistoryRequest;

                /**
                 * Creates a plain object from an UpdateBuildHistoryRequest message. Also converts values to other types if specified.
                 * @param message UpdateBuildHistoryRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.UpdateBuildHistoryRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this UpdateBuildHistoryRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace UpdateBuildHistoryRequest {

                /** Properties of an UpdateBuildHistoryRequest. */
                interface $Properties {

                    /** UpdateBuildHistoryRequest Ref */
                    Ref?: (string|null);

                    /** UpdateBuildHistoryRequest Pinned */
                    Pinned?: (boolean|null);

                    /** UpdateBuildHistoryRequest Delete */
                    Delete?: (boolean|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an UpdateBuildHistoryRequest. */
                type $Shape = moby.buildkit.v1.UpdateBuildHistoryRequest.$Properties;
            }

            /**
             * Properties of an UpdateBuildHistoryResponse.
             * @deprecated Use moby.buildkit.v1.UpdateBuildHistoryResponse.$Properties instead.
             */
            interface IUpdateBuildHistoryResponse extends moby.buildkit.v1.UpdateBuildHistoryResponse.$Properties {
            }

            /** Represents an UpdateBuildHistoryResponse. */
            class UpdateBuildHistoryResponse {

                /**
                 * Constructs a new UpdateBuildHistoryResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.UpdateBuildHistoryResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /**
                 * Creates a new UpdateBuildHistoryResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns UpdateBuildHistoryResponse instance
                 */
                static create(properties: moby.buildkit.v1.UpdateBuildHistoryResponse.$Shape): moby.buildkit.v1.UpdateBuildHistoryResponse & moby.buildkit.v1.UpdateBuildHistoryResponse.$Shape;
                static create(properties?: moby.buildkit.v1.UpdateBuildHistoryResponse.$Properties): moby.buildkit.v1.UpdateBuildHistoryResponse;

                /**
                 * Encodes the specified UpdateBuildHistoryResponse message. Does not implicitly {@link moby.buildkit.v1.UpdateBuildHistoryResponse.verify|verify} messages.
                 * @param message UpdateBuildHistoryResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.UpdateBuildHistoryResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an UpdateBuildHistoryResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.UpdateBuildHistoryResponse & moby.buildkit.v1.UpdateBuildHistoryResponse.$Shape} UpdateBuildHistoryResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.UpdateBuildHistoryResponse & moby.buildkit.v1.UpdateBuildHistoryResponse.$Shape;

                /**
                 * Creates an UpdateBuildHistoryResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns UpdateBuildHistoryResponse
                 */
                static fromObject(object: object): moby.buildkit.v1.UpdateBuildHistoryResponse;

                /**
                 * Creates a plain object from an UpdateBuildHistoryResponse message. Also converts values to other types if specified.
                 * @param message UpdateBuildHistoryResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.UpdateBuildHistoryResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this UpdateBuildHistoryResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace UpdateBuildHistoryResponse {

                /** Properties of an UpdateBuildHistoryResponse. */
                interface $Properties {

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an UpdateBuildHistoryResponse. */
                type $Shape = moby.buildkit.v1.UpdateBuildHistoryResponse.$Properties;
            }

            /**
             * Properties of a Descriptor.
             * @deprecated Use moby.buildkit.v1.Descriptor.$Properties instead.
             */
            interface IDescriptor extends moby.buildkit.v1.Descriptor.$Properties {
            }

            /** OCI content descriptor. */
            class Descriptor {

                /**
                 * Constructs a new Descriptor.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.Descriptor.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Descriptor media_type. */
                media_type: string;

                /** Descriptor digest. */
                digest: string;

                /** Descriptor size. */
                size: number;

                /** Descriptor annotations. */
                annotations: { [k: string]: string };

                /**
                 * Creates a new Descriptor instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Descriptor instance
                 */
                static create(properties: moby.buildkit.v1.Descriptor.$Shape): moby.buildkit.v1.Descriptor & moby.buildkit.v1.Descriptor.$Shape;
                static create(properties?: moby.buildkit.v1.Descriptor.$Properties): moby.buildkit.v1.Descriptor;

                /**
                 * Encodes the specified Descriptor message. Does not implicitly {@link moby.buildkit.v1.Descriptor.verify|verify} messages.
                 * @param message Descriptor message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.Descriptor.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Descriptor message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.Descriptor & moby.buildkit.v1.Descriptor.$Shape} Descriptor
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.Descriptor & moby.buildkit.v1.Descriptor.$Shape;

                /**
                 * Creates a Descriptor message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Descriptor
                 */
                static fromObject(object: object): moby.buildkit.v1.Descriptor;

                /**
                 * Creates a plain object from a Descriptor message. Also converts values to other types if specified.
                 * @param message Descriptor
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.Descriptor, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this Descriptor to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace Descriptor {

                /** Properties of a Descriptor. */
                interface $Properties {

                    /** Descriptor media_type */
                    media_type?: (string|null);

                    /** Descriptor digest */
                    digest?: (string|null);

                    /** Descriptor size */
                    size?: (number|null);

                    /** Descriptor annotations */
                    annotations?: ({ [k: string]: string }|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Descriptor. */
                type $Shape = moby.buildkit.v1.Descriptor.$Properties;
            }

            /**
             * Properties of a BuildResultInfo.
             * @deprecated Use moby.buildkit.v1.BuildResultInfo.$Properties instead.
             */
            interface IBuildResultInfo extends moby.buildkit.v1.BuildResultInfo.$Properties {
            }

            /** Represents a BuildResultInfo. */
            class BuildResultInfo {

                /**
                 * Constructs a new BuildResultInfo.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.BuildResultInfo.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BuildResultInfo Result. */
                Result?: (moby.buildkit.v1.Descriptor.$Properties|null);

                /** BuildResultInfo Attestations. */
                Attestations: moby.buildkit.v1.Descriptor.$Properties[];

                /**
                 * Creates a new BuildResultInfo instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BuildResultInfo instance
                 */
                static create(properties: moby.buildkit.v1.BuildResultInfo.$Shape): moby.buildkit.v1.BuildResultInfo & moby.buildkit.v1.BuildResultInfo.$Shape;
                static create(properties?: moby.buildkit.v1.BuildResultInfo.$Properties): moby.buildkit.v1.BuildResultInfo;

                /**
                 * Encodes the specified BuildResultInfo message. Does not implicitly {@link moby.buildkit.v1.BuildResultInfo.verify|verify} messages.
                 * @param message BuildResultInfo message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.BuildResultInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BuildResultInfo message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.BuildResultInfo & moby.buildkit.v1.BuildResultInfo.$Shape} BuildResultInfo
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.BuildResultInfo & moby.buildkit.v1.BuildResultInfo.$Shape;

                /**
                 * Creates a BuildResultInfo message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BuildResultInfo
                 */
                static fromObject(object: object): moby.buildkit.v1.BuildResultInfo;

                /**
                 * Creates a plain object from a BuildResultInfo message. Also converts values to other types if specified.
                 * @param message BuildResultInfo
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.BuildResultInfo, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BuildResultInfo to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BuildResultInfo {

                /** Properties of a BuildResultInfo. */
                interface $Properties {

                    /** BuildResultInfo Result */
                    Result?: (moby.buildkit.v1.Descriptor.$Properties|null);

                    /** BuildResultInfo Attestations */
                    Attestations?: (moby.buildkit.v1.Descriptor.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BuildResultInfo. */
                type $Shape = moby.buildkit.v1.BuildResultInfo.$Properties;
            }

            /**
             * Properties of an Exporter.
             * @deprecated Use moby.buildkit.v1.Exporter.$Properties instead.
             */
            interface IExporter extends moby.buildkit.v1.Exporter.$Properties {
            }

            /** Represents an Exporter. */
            class Exporter {

                /**
                 * Constructs a new Exporter.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.buildkit.v1.Exporter.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Exporter Type. */
                Type: string;

                /** Exporter Attrs. */
                Attrs: { [k: string]: string };

                /**
                 * Creates a new Exporter instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns Exporter instance
                 */
                static create(properties: moby.buildkit.v1.Exporter.$Shape): moby.buildkit.v1.Exporter & moby.buildkit.v1.Exporter.$Shape;
                static create(properties?: moby.buildkit.v1.Exporter.$Properties): moby.buildkit.v1.Exporter;

                /**
                 * Encodes the specified Exporter message. Does not implicitly {@link moby.buildkit.v1.Exporter.verify|verify} messages.
                 * @param message Exporter message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.buildkit.v1.Exporter.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Exporter message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.buildkit.v1.Exporter & moby.buildkit.v1.Exporter.$Shape} Exporter
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.Exporter & moby.buildkit.v1.Exporter.$Shape;

                /**
                 * Creates an Exporter message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns Exporter
                 */
                static fromObject(object: object): moby.buildkit.v1.Exporter;

                /**
                 * Creates a plain object from an Exporter message. Also converts values to other types if specified.
                 * @param message Exporter
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.buildkit.v1.Exporter, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this Exporter to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace Exporter {

                /** Properties of an Exporter. */
                interface $Properties {

                    /** Exporter Type */
                    Type?: (string|null);

                    /** Exporter Attrs */
                    Attrs?: ({ [k: string]: string }|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Exporter. */
                type $Shape = moby.buildkit.v1.Exporter.$Properties;
            }

            /** Namespace types. */
            namespace types {

                /**
                 * Properties of a WorkerRecord.
                 * @deprecated Use moby.buildkit.v1.types.WorkerRecord.$Properties instead.
                 */
                interface IWorkerRecord extends moby.buildkit.v1.types.WorkerRecord.$Properties {
                }

                /** Represents a WorkerRecord. */
                class WorkerRecord {

                    /**
                     * Constructs a new WorkerRecord.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.types.WorkerRecord.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** WorkerRecord ID. */
                    ID: string;

                    /** WorkerRecord Labels. */
                    Labels: { [k: string]: string };

                    /** WorkerRecord platforms. */
                    platforms: pb.Platform.$Properties[];

                    /** WorkerRecord GCPolicy. */
                    GCPolicy: moby.buildkit.v1.types.GCPolicy.$Properties[];

                    /** v0.11+ */
                    BuildkitVersion?: (moby.buildkit.v1.types.BuildkitVersion.$Properties|null);

                    /**
                     * Creates a new WorkerRecord instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns WorkerRecord instance
                     */
                    static create(properties: moby.buildkit.v1.types.WorkerRecord.$Shape): moby.buildkit.v1.types.WorkerRecord & moby.buildkit.v1.types.WorkerRecord.$Shape;
                    static create(properties?: moby.buildkit.v1.types.WorkerRecord.$Properties): moby.buildkit.v1.types.WorkerRecord;

                    /**
                     * Encodes the specified WorkerRecord message. Does not implicitly {@link moby.buildkit.v1.types.WorkerRecord.verify|verify} messages.
                     * @param message WorkerRecord message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.types.WorkerRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a WorkerRecord message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.types.WorkerRecord & moby.buildkit.v1.types.WorkerRecord.$Shape} WorkerRecord
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.types.WorkerRecord & moby.buildkit.v1.types.WorkerRecord.$Shape;

                    /**
                     * Creates a WorkerRecord message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns WorkerRecord
                     */
                    static fromObject(object: object): moby.buildkit.v1.types.WorkerRecord;

                    /**
                     * Creates a plain object from a WorkerRecord message. Also converts values to other types if specified.
                     * @param message WorkerRecord
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.types.WorkerRecord, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this WorkerRecord to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace WorkerRecord {

                    /** Properties of a WorkerRecord. */
                    interface $Properties {

                        /** WorkerRecord ID */
                        ID?: (string|null);

                        /** WorkerRecord Labels */
                        Labels?: ({ [k: string]: string }|null);

                        /** WorkerRecord platforms */
                        platforms?: (pb.Platform.$Properties[]|null);

                        /** WorkerRecord GCPolicy */
                        GCPolicy?: (moby.buildkit.v1.types.GCPolicy.$Properties[]|null);

                        /** v0.11+ */
                        BuildkitVersion?: (moby.buildkit.v1.types.BuildkitVersion.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a WorkerRecord. */
                    type $Shape = moby.buildkit.v1.types.WorkerRecord.$Properties;
                }

                /**
                 * Properties of a GCPolicy.
                 * @deprecated Use moby.buildkit.v1.types.GCPolicy.$Properties instead.
                 */
                interface IGCPolicy extends moby.buildkit.v1.types.GCPolicy.$Properties {
                }

                /** One garbage-collection rule of a worker. */
                class GCPolicy {

                    /**
                     * Constructs a new GCPolicy.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.types.GCPolicy.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** GCPolicy all. */
                    all: boolean;

                    /** ns */
                    keepDuration: number;

                    /** GCPolicy keepBytes. */
                    keepBytes: number;

                    /** GCPolicy filters. */
                    filters: string[];

                    /**
                     * Creates a new GCPolicy instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns GCPolicy instance
                     */
                    static create(properties: moby.buildkit.v1.types.GCPolicy.$Shape): moby.buildkit.v1.types.GCPolicy & moby.buildkit.v1.types.GCPolicy.$Shape;
                    static create(properties?: moby.buildkit.v1.types.GCPolicy.$Properties): moby.buildkit.v1.types.GCPolicy;

                    /**
                     * Encodes the specified GCPolicy message. Does not implicitly {@link moby.buildkit.v1.types.GCPolicy.verify|verify} messages.
                     * @param message GCPolicy message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.types.GCPolicy.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a GCPolicy message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.types.GCPolicy & moby.buildkit.v1.types.GCPolicy.$Shape} GCPolicy
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.types.GCPolicy & moby.buildkit.v1.types.GCPolicy.$Shape;

                    /**
                     * Creates a GCPolicy message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns GCPolicy
                     */
                    static fromObject(object: object): moby.buildkit.v1.types.GCPolicy;

                    /**
                     * Creates a plain object from a GCPolicy message. Also converts values to other types if specified.
                     * @param message GCPolicy
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.types.GCPolicy, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this GCPolicy to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace GCPolicy {

                    /** Properties of a GCPolicy. */
                    interface $Properties {

                        /** GCPolicy all */
                        all?: (boolean|null);

                        /** ns */
                        keepDuration?: (number|null);

                        /** GCPolicy keepBytes */
                        keepBytes?: (number|null);

                        /** GCPolicy filters */
                        filters?: (string[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a GCPolicy. */
                    type $Shape = moby.buildkit.v1.types.GCPolicy.$Properties;
                }

                /**
                 * Properties of a BuildkitVersion.
                 * @deprecated Use moby.buildkit.v1.types.BuildkitVersion.$Properties instead.
                 */
                interface IBuildkitVersion extends moby.buildkit.v1.types.BuildkitVersion.$Properties {
                }

                /** Build information of the daemon. */
                class BuildkitVersion {

                    /**
                     * Constructs a new BuildkitVersion.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.types.BuildkitVersion.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** BuildkitVersion package. */
                    package: string;

                    /** BuildkitVersion version. */
                    version: string;

                    /** BuildkitVersion revision. */
                    revision: string;

                    /**
                     * Creates a new BuildkitVersion instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns BuildkitVersion instance
                     */
                    static create(properties: moby.buildkit.v1.types.BuildkitVersion.$Shape): moby.buildkit.v1.types.BuildkitVersion & moby.buildkit.v1.types.BuildkitVersion.$Shape;
                    static create(properties?: moby.buildkit.v1.types.BuildkitVersion.$Properties): moby.buildkit.v1.types.BuildkitVersion;

                    /**
                     * Encodes the specified BuildkitVersion message. Does not implicitly {@link moby.buildkit.v1.types.BuildkitVersion.verify|verify} messages.
                     * @param message BuildkitVersion message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.types.BuildkitVersion.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a BuildkitVersion message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.types.BuildkitVersion & moby.buildkit.v1.types.BuildkitVersion.$Shape} BuildkitVersion
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.types.BuildkitVersion & moby.buildkit.v1.types.BuildkitVersion.$Shape;

                    /**
                     * Creates a BuildkitVersion message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns BuildkitVersion
                     */
                    static fromObject(object: object): moby.buildkit.v1.types.BuildkitVersion;

                    /**
                     * Creates a plain object from a BuildkitVersion message. Also converts values to other types if specified.
                     * @param message BuildkitVersion
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.types.BuildkitVersion, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this BuildkitVersion to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace BuildkitVersion {

                    /** Properties of a BuildkitVersion. */
                    interface $Properties {

                        /** BuildkitVersion package */
                        "package"?: (string|null);

                        /** BuildkitVersion version */
                        version?: (string|null);

                        /** BuildkitVersion revision */
                        revision?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a BuildkitVersion. */
                    type $Shape = moby.buildkit.v1.types.BuildkitVersion.$Properties;
                }
            }

            /** Namespace sourcepolicy. */
            namespace sourcepolicy {

                /** PolicyAction enum. */
                enum PolicyAction {

                    /** ALLOW value */
                    ALLOW = 0,

                    /** DENY value */
                    DENY = 1,

                    /** CONVERT value */
                    CONVERT = 2
                }

                /** MatchType enum. */
                enum MatchType {

                    /** WILDCARD value */
                    WILDCARD = 0,

                    /** EXACT value */
                    EXACT = 1,

                    /** REGEX value */
                    REGEX = 2
                }

                /** AttrMatch enum. */
                enum AttrMatch {

                    /** EQUAL value */
                    EQUAL = 0,

                    /** NOTEQUAL value */
                    NOTEQUAL = 1,

                    /** MATCHES value */
                    MATCHES = 2
                }

                /**
                 * Properties of a Policy.
                 * @deprecated Use moby.buildkit.v1.sourcepolicy.Policy.$Properties instead.
                 */
                interface IPolicy extends moby.buildkit.v1.sourcepolicy.Policy.$Properties {
                }

                /** Represents a Policy. */
                class Policy {

                    /**
                     * Constructs a new Policy.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.sourcepolicy.Policy.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** 1 */
                    version: number;

                    /** Policy rules. */
                    rules: moby.buildkit.v1.sourcepolicy.Rule.$Properties[];

                    /**
                     * Creates a new Policy instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Policy instance
                     */
                    static create(properties: moby.buildkit.v1.sourcepolicy.Policy.$Shape): moby.buildkit.v1.sourcepolicy.Policy & moby.buildkit.v1.sourcepolicy.Policy.$Shape;
                    static create(properties?: moby.buildkit.v1.sourcepolicy.Policy.$Properties): moby.buildkit.v1.sourcepolicy.Policy;

                    /**
                     * Encodes the specified Policy message. Does not implicitly {@link moby.buildkit.v1.sourcepolicy.Policy.verify|verify} messages.
                     * @param message Policy message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.sourcepolicy.Policy.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Policy message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.sourcepolicy.Policy & moby.buildkit.v1.sourcepolicy.Policy.$Shape} Policy
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.sourcepolicy.Policy & moby.buildkit.v1.sourcepolicy.Policy.$Shape;

                    /**
                     * Creates a Policy message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Policy
                     */
                    static fromObject(object: object): moby.buildkit.v1.sourcepolicy.Policy;

                    /**
                     * Creates a plain object from a Policy message. Also converts values to other types if specified.
                     * @param message Policy
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.sourcepolicy.Policy, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Policy to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Policy {

                    /** Properties of a Policy. */
                    interface $Properties {

                        /** 1 */
                        version?: (number|null);

                        /** Policy rules */
                        rules?: (moby.buildkit.v1.sourcepolicy.Rule.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Policy. */
                    type $Shape = moby.buildkit.v1.sourcepolicy.Policy.$Properties;
                }

                /**
                 * Properties of a Rule.
                 * @deprecated Use moby.buildkit.v1.sourcepolicy.Rule.$Properties instead.
                 */
                interface IRule extends moby.buildkit.v1.sourcepolicy.Rule.$Properties {
                }

                /** Represents a Rule. */
                class Rule {

                    /**
                     * Constructs a new Rule.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.sourcepolicy.Rule.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Rule action. */
                    action: moby.buildkit.v1.sourcepolicy.PolicyAction;

                    /** Rule selector. */
                    selector?: (moby.buildkit.v1.sourcepolicy.Selector.$Properties|null);

                    /** for CONVERT */
                    updates?: (moby.buildkit.v1.sourcepolicy.Update.$Properties|null);

                    /**
                     * Creates a new Rule instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Rule instance
                     */
                    static create(properties: moby.buildkit.v1.sourcepolicy.Rule.$Shape): moby.buildkit.v1.sourcepolicy.Rule & moby.buildkit.v1.sourcepolicy.Rule.$Shape;
                    static create(properties?: moby.buildkit.v1.sourcepolicy.Rule.$Properties): moby.buildkit.v1.sourcepolicy.Rule;

                    /**
                     * Encodes the specified Rule message. Does not implicitly {@link moby.buildkit.v1.sourcepolicy.Rule.verify|verify} messages.
                     * @param message Rule message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.sourcepolicy.Rule.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Rule message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.sourcepolicy.Rule & moby.buildkit.v1.sourcepolicy.Rule.$Shape} Rule
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.sourcepolicy.Rule & moby.buildkit.v1.sourcepolicy.Rule.$Shape;

                    /**
                     * Creates a Rule message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Rule
                     */
                    static fromObject(object: object): moby.buildkit.v1.sourcepolicy.Rule;

                    /**
                     * Creates a plain object from a Rule message. Also converts values to other types if specified.
                     * @param message Rule
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.sourcepolicy.Rule, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Rule to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Rule {

                    /** Properties of a Rule. */
                    interface $Properties {

                        /** Rule action */
                        action?: (moby.buildkit.v1.sourcepolicy.PolicyAction|null);

                        /** Rule selector */
                        selector?: (moby.buildkit.v1.sourcepolicy.Selector.$Properties|null);

                        /** for CONVERT */
                        updates?: (moby.buildkit.v1.sourcepolicy.Update.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Rule. */
                    type $Shape = moby.buildkit.v1.sourcepolicy.Rule.$Properties;
                }

                /**
                 * Properties of a Selector.
                 * @deprecated Use moby.buildkit.v1.sourcepolicy.Selector.$Properties instead.
                 */
                interface ISelector extends moby.buildkit.v1.sourcepolicy.Selector.$Properties {
                }

                /** Which source identifiers (and attrs) a rule applies to. */
                class Selector {

                    /**
                     * Constructs a new Selector.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.sourcepolicy.Selector.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Selector identifier. */
                    identifier: string;

                    /** Selector match_type. */
                    match_type: moby.buildkit.v1.sourcepolicy.MatchType;

                    /** Selector constraints. */
                    constraints: moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties[];

                    /**
                     * Creates a new Selector instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Selector instance
                     */
                    static create(properties: moby.buildkit.v1.sourcepolicy.Selector.$Shape): moby.buildkit.v1.sourcepolicy.Selector & moby.buildkit.v1.sourcepolicy.Selector.$Shape;
                    static create(properties?: moby.buildkit.v1.sourcepolicy.Selector.$Properties): moby.buildkit.v1.sourcepolicy.Selector;

                    /**
                     * Encodes the specified Selector message. Does not implicitly {@link moby.buildkit.v1.sourcepolicy.Selector.verify|verify} messages.
                     * @param message Selector message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.sourcepolicy.Selector.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Selector message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.sourcepolicy.Selector & moby.buildkit.v1.sourcepolicy.Selector.$Shape} Selector
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.sourcepolicy.Selector & moby.buildkit.v1.sourcepolicy.Selector.$Shape;

                    /**
                     * Creates a Selector message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Selector
                     */
                    static fromObject(object: object): moby.buildkit.v1.sourcepolicy.Selector;

                    /**
                     * Creates a plain object from a Selector message. Also converts values to other types if specified.
                     * @param message Selector
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.sourcepolicy.Selector, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Selector to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Selector {

                    /** Properties of a Selector. */
                    interface $Properties {

                        /** Selector identifier */
                        identifier?: (string|null);

                        /** Selector match_type */
                        match_type?: (moby.buildkit.v1.sourcepolicy.MatchType|null);

                        /** Selector constraints */
                        constraints?: (moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Selector. */
                    type $Shape = moby.buildkit.v1.sourcepolicy.Selector.$Properties;
                }

                /**
                 * Properties of an AttrConstraint.
                 * @deprecated Use moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties instead.
                 */
                interface IAttrConstraint extends moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties {
                }

                /** Represents an AttrConstraint. */
                class AttrConstraint {

                    /**
                     * Constructs a new AttrConstraint.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** AttrConstraint key. */
                    key: string;

                    /** AttrConstraint value. */
                    value: string;

                    /** AttrConstraint condition. */
                    condition: moby.buildkit.v1.sourcepolicy.AttrMatch;

                    /**
                     * Creates a new AttrConstraint instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns AttrConstraint instance
                     */
                    static create(properties: moby.buildkit.v1.sourcepolicy.AttrConstraint.$Shape): moby.buildkit.v1.sourcepolicy.AttrConstraint & moby.buildkit.v1.sourcepolicy.AttrConstraint.$Shape;
                    static create(properties?: moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties): moby.buildkit.v1.sourcepolicy.AttrConstraint;

                    /**
                     * Encodes the specified AttrConstraint message. Does not implicitly {@link moby.buildkit.v1.sourcepolicy.AttrConstraint.verify|verify} messages.
                     * @param message AttrConstraint message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an AttrConstraint message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.sourcepolicy.AttrConstraint & moby.buildkit.v1.sourcepolicy.AttrConstraint.$Shape} AttrConstraint
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.sourcepolicy.AttrConstraint & moby.buildkit.v1.sourcepolicy.AttrConstraint.$Shape;

                    /**
                     * Creates an AttrConstraint message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns AttrConstraint
                     */
                    static fromObject(object: object): moby.buildkit.v1.sourcepolicy.AttrConstraint;

                    /**
                     * Creates a plain object from an AttrConstraint message. Also converts values to other types if specified.
                     * @param message AttrConstraint
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.sourcepolicy.AttrConstraint, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this AttrConstraint to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace AttrConstraint {

                    /** Properties of an AttrConstraint. */
                    interface $Properties {

                        /** AttrConstraint key */
                        key?: (string|null);

                        /** AttrConstraint value */
                        value?: (string|null);

                        /** AttrConstraint condition */
                        condition?: (moby.buildkit.v1.sourcepolicy.AttrMatch|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an AttrConstraint. */
                    type $Shape = moby.buildkit.v1.sourcepolicy.AttrConstraint.$Properties;
                }

                /**
                 * Properties of an Update.
                 * @deprecated Use moby.buildkit.v1.sourcepolicy.Update.$Properties instead.
                 */
                interface IUpdate extends moby.buildkit.v1.sourcepolicy.Update.$Properties {
                }

                /** Replacement identifier/attrs for a converted source. */
                class Update {

                    /**
                     * Constructs a new Update.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.sourcepolicy.Update.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Update identifier. */
                    identifier: string;

                    /** Update attrs. */
                    attrs: { [k: string]: string };

                    /**
                     * Creates a new Update instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Update instance
                     */
                    static create(properties: moby.buildkit.v1.sourcepolicy.Update.$Shape): moby.buildkit.v1.sourcepolicy.Update & moby.buildkit.v1.sourcepolicy.Update.$Shape;
                    static create(properties?: moby.buildkit.v1.sourcepolicy.Update.$Properties): moby.buildkit.v1.sourcepolicy.Update;

                    /**
                     * Encodes the specified Update message. Does not implicitly {@link moby.buildkit.v1.sourcepolicy.Update.verify|verify} messages.
                     * @param message Update message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.sourcepolicy.Update.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an Update message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.sourcepolicy.Update & moby.buildkit.v1.sourcepolicy.Update.$Shape} Update
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.sourcepolicy.Update & moby.buildkit.v1.sourcepolicy.Update.$Shape;

                    /**
                     * Creates an Update message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Update
                     */
                    static fromObject(object: object): moby.buildkit.v1.sourcepolicy.Update;

                    /**
                     * Creates a plain object from an Update message. Also converts values to other types if specified.
                     * @param message Update
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.sourcepolicy.Update, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Update to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Update {

                    /** Properties of an Update. */
                    interface $Properties {

                        /** Update identifier */
                        identifier?: (string|null);

                        /** Update attrs */
                        attrs?: ({ [k: string]: string }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an Update. */
                    type $Shape = moby.buildkit.v1.sourcepolicy.Update.$Properties;
                }
            }

            /** Namespace frontend. */
            namespace frontend {

                /**
                 * Properties of a Result.
                 * @deprecated Use moby.buildkit.v1.frontend.Result.$Properties instead.
                 */
                interface IResult extends moby.buildkit.v1.frontend.Result.$Properties {
                }

                /** The result of a (sub-)build. Use `ref`/`refs` when the daemon advertises cap proto.refarray. */
                class Result {

                    /**
                     * Constructs a new Result.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.Result.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Result refDeprecated. */
                    refDeprecated?: (string|null);

                    /** Result refsDeprecated. */
                    refsDeprecated?: (moby.buildkit.v1.frontend.RefMapDeprecated.$Properties|null);

                    /** Result ref. */
                    ref?: (moby.buildkit.v1.frontend.Ref.$Properties|null);

                    /** Result refs. */
                    refs?: (moby.buildkit.v1.frontend.RefMap.$Properties|null);

                    /** Exporter metadata, e.g. "containerimage.config" = image config JSON. */
                    metadata: { [k: string]: Uint8Array };

                    /** v0.11+ */
                    attestations: { [k: string]: moby.buildkit.v1.frontend.Attestations.$Properties };

                    /** Result result. */
                    result?: ("refDeprecated"|"refsDeprecated"|"ref"|"refs");

                    /**
                     * Creates a new Result instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Result instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.Result.$Shape): moby.buildkit.v1.frontend.Result & moby.buildkit.v1.frontend.Result.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.Result.$Properties): moby.buildkit.v1.frontend.Result;

                    /**
                     * Encodes the specified Result message. Does not implicitly {@link moby.buildkit.v1.frontend.Result.verify|verify} messages.
                     * @param message Result message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.Result.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Result message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.Result & moby.buildkit.v1.frontend.Result.$Shape} Result
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.Result & moby.buildkit.v1.frontend.Result.$Shape;

                    /**
                     * Creates a Result message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Result
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.Result;

                    /**
                     * Creates a plain object from a Result message. Also converts values to other types if specified.
                     * @param message Result
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.Result, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Result to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Result {

                    /** Properties of a Result. */
                    interface $Properties {

                        /** Result refDeprecated */
                        refDeprecated?: (string|null);

                        /** Result refsDeprecated */
                        refsDeprecated?: (moby.buildkit.v1.frontend.RefMapDeprecated.$Properties|null);

                        /** Result ref */
                        ref?: (moby.buildkit.v1.frontend.Ref.$Properties|null);

                        /** Result refs */
                        refs?: (moby.buildkit.v1.frontend.RefMap.$Properties|null);

                        /** Exporter metadata, e.g. "containerimage.config" = image config JSON. */
                        metadata?: ({ [k: string]: Uint8Array }|null);

                        /** v0.11+ */
                        attestations?: ({ [k: string]: moby.buildkit.v1.frontend.Attestations.$Properties }|null);

                        /** Result result */
                        result?: ("refDeprecated"|"refsDeprecated"|"ref"|"refs");

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Narrowed shape of a Result. */
                    type $Shape = {
                      refDeprecated?: string|null;
                      refsDeprecated?: moby.buildkit.v1.frontend.RefMapDeprecated.$Shape|null;
                      ref?: moby.buildkit.v1.frontend.Ref.$Shape|null;
                      refs?: moby.buildkit.v1.frontend.RefMap.$Shape|null;
                      metadata?: { [k: string]: Uint8Array }|null;
                      attestations?: { [k: string]: moby.buildkit.v1.frontend.Attestations.$Shape }|null;
                      $unknowns?: Uint8Array[];
                    } & (
                      ({ result?: undefined; refDeprecated?: null; refsDeprecated?: null; ref?: null; refs?: null }|{ result?: "refDeprecated"; refDeprecated: string; refsDeprecated?: null; ref?: null; refs?: null }|{ result?: "refsDeprecated"; refDeprecated?: null; refsDeprecated: moby.buildkit.v1.frontend.RefMapDeprecated.$Shape; ref?: null; refs?: null }|{ result?: "ref"; refDeprecated?: null; refsDeprecated?: null; ref: moby.buildkit.v1.frontend.Ref.$Shape; refs?: null }|{ result?: "refs"; refDeprecated?: null; refsDeprecated?: null; ref?: null; refs: moby.buildkit.v1.frontend.RefMap.$Shape })
                    );
                }

                /**
                 * Properties of a RefMapDeprecated.
                 * @deprecated Use moby.buildkit.v1.frontend.RefMapDeprecated.$Properties instead.
                 */
                interface IRefMapDeprecated extends moby.buildkit.v1.frontend.RefMapDeprecated.$Properties {
                }

                /** Represents a RefMapDeprecated. */
                class RefMapDeprecated {

                    /**
                     * Constructs a new RefMapDeprecated.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.RefMapDeprecated.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** RefMapDeprecated refs. */
                    refs: { [k: string]: string };

                    /**
                     * Creates a new RefMapDeprecated instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns RefMapDeprecated instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.RefMapDeprecated.$Shape): moby.buildkit.v1.frontend.RefMapDeprecated & moby.buildkit.v1.frontend.RefMapDeprecated.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.RefMapDeprecated.$Properties): moby.buildkit.v1.frontend.RefMapDeprecated;

                    /**
                     * Encodes the specified RefMapDeprecated message. Does not implicitly {@link moby.buildkit.v1.frontend.RefMapDeprecated.verify|verify} messages.
                     * @param message RefMapDeprecated message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.RefMapDeprecated.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a RefMapDeprecated message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.RefMapDeprecated & moby.buildkit.v1.frontend.RefMapDeprecated.$Shape} RefMapDeprecated
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.RefMapDeprecated & moby.buildkit.v1.frontend.RefMapDeprecated.$Shape;

                    /**
                     * Creates a RefMapDeprecated message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns RefMapDeprecated
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.RefMapDeprecated;

                    /**
                     * Creates a plain object from a RefMapDeprecated message. Also converts values to other types if specified.
                     * @param message RefMapDeprecated
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.RefMapDeprecated, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this RefMapDeprecated to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace RefMapDeprecated {

                    /** Properties of a RefMapDeprecated. */
                    interface $Properties {

                        /** RefMapDeprecated refs */
                        refs?: ({ [k: string]: string }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a RefMapDeprecated. */
                    type $Shape = moby.buildkit.v1.frontend.RefMapDeprecated.$Properties;
                }

                /**
                 * Properties of a Ref.
                 * @deprecated Use moby.buildkit.v1.frontend.Ref.$Properties instead.
                 */
                interface IRef extends moby.buildkit.v1.frontend.Ref.$Properties {
                }

                /** A result reference; only `id` matters when returning. */
                class Ref {

                    /**
                     * Constructs a new Ref.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.Ref.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Ref id. */
                    id: string;

                    /** Ref def. */
                    def?: (pb.Definition.$Properties|null);

                    /**
                     * Creates a new Ref instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Ref instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.Ref.$Shape): moby.buildkit.v1.frontend.Ref & moby.buildkit.v1.frontend.Ref.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.Ref.$Properties): moby.buildkit.v1.frontend.Ref;

                    /**
                     * Encodes the specified Ref message. Does not implicitly {@link moby.buildkit.v1.frontend.Ref.verify|verify} messages.
                     * @param message Ref message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.Ref.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a Ref message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.Ref & moby.buildkit.v1.frontend.Ref.$Shape} Ref
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.Ref & moby.buildkit.v1.frontend.Ref.$Shape;

                    /**
                     * Creates a Ref message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Ref
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.Ref;

                    /**
                     * Creates a plain object from a Ref message. Also converts values to other types if specified.
                     * @param message Ref
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.Ref, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Ref to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Ref {

                    /** Properties of a Ref. */
                    interface $Properties {

                        /** Ref id */
                        id?: (string|null);

                        /** Ref def */
                        def?: (pb.Definition.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a Ref. */
                    type $Shape = moby.buildkit.v1.frontend.Ref.$Properties;
                }

                /**
                 * Properties of a RefMap.
                 * @deprecated Use moby.buildkit.v1.frontend.RefMap.$Properties instead.
                 */
                interface IRefMap extends moby.buildkit.v1.frontend.RefMap.$Properties {
                }

                /** Results keyed by platform id. */
                class RefMap {

                    /**
                     * Constructs a new RefMap.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.RefMap.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** RefMap refs. */
                    refs: { [k: string]: moby.buildkit.v1.frontend.Ref.$Properties };

                    /**
                     * Creates a new RefMap instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns RefMap instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.RefMap.$Shape): moby.buildkit.v1.frontend.RefMap & moby.buildkit.v1.frontend.RefMap.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.RefMap.$Properties): moby.buildkit.v1.frontend.RefMap;

                    /**
                     * Encodes the specified RefMap message. Does not implicitly {@link moby.buildkit.v1.frontend.RefMap.verify|verify} messages.
                     * @param message RefMap message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.RefMap.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a RefMap message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.RefMap & moby.buildkit.v1.frontend.RefMap.$Shape} RefMap
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.RefMap & moby.buildkit.v1.frontend.RefMap.$Shape;

                    /**
                     * Creates a RefMap message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns RefMap
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.RefMap;

                    /**
                     * Creates a plain object from a RefMap message. Also converts values to other types if specified.
                     * @param message RefMap
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.RefMap, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this RefMap to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace RefMap {

                    /** Properties of a RefMap. */
                    interface $Properties {

                        /** RefMap refs */
                        refs?: ({ [k: string]: moby.buildkit.v1.frontend.Ref.$Properties }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a RefMap. */
                    type $Shape = moby.buildkit.v1.frontend.RefMap.$Properties;
                }

                /**
                 * Properties of an Attestations.
                 * @deprecated Use moby.buildkit.v1.frontend.Attestations.$Properties instead.
                 */
                interface IAttestations extends moby.buildkit.v1.frontend.Attestations.$Properties {
                }

                /** Represents an Attestations. */
                class Attestations {

                    /**
                     * Constructs a new Attestations.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.Attestations.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Attestations attestation. */
                    attestation: moby.buildkit.v1.frontend.Attestation.$Properties[];

                    /**
                     * Creates a new Attestations instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Attestations instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.Attestations.$Shape): moby.buildkit.v1.frontend.Attestations & moby.buildkit.v1.frontend.Attestations.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.Attestations.$Properties): moby.buildkit.v1.frontend.Attestations;

                    /**
                     * Encodes the specified Attestations message. Does not implicitly {@link moby.buildkit.v1.frontend.Attestations.verify|verify} messages.
                     * @param message Attestations message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.Attestations.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an Attestations message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.Attestations & moby.buildkit.v1.frontend.Attestations.$Shape} Attestations
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.Attestations & moby.buildkit.v1.frontend.Attestations.$Shape;

                    /**
                     * Creates an Attestations message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Attestations
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.Attestations;

                    /**
                     * Creates a plain object from an Attestations message. Also converts values to other types if specified.
                     * @param message Attestations
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.Attestations, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Attestations to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Attestations {

                    /** Properties of an Attestations. */
                    interface $Properties {

                        /** Attestations attestation */
                        attestation?: (moby.buildkit.v1.frontend.Attestation.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an Attestations. */
                    type $Shape = moby.buildkit.v1.frontend.Attestations.$Properties;
                }

                /**
                 * Properties of an Attestation.
                 * @deprecated Use moby.buildkit.v1.frontend.Attestation.$Properties instead.
                 */
                interface IAttestation extends moby.buildkit.v1.frontend.Attestation.$Properties {
                }

                /** Represents an Attestation. */
                class Attestation {

                    /**
                     * Constructs a new Attestation.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.Attestation.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** Attestation kind. */
                    kind: moby.buildkit.v1.frontend.AttestationKind;

                    /** Attestation metadata. */
                    metadata: { [k: string]: Uint8Array };

                    /** Attestation ref. */
                    ref?: (moby.buildkit.v1.frontend.Ref.$Properties|null);

                    /** Attestation path. */
                    path: string;

                    /** Attestation inTotoPredicateType. */
                    inTotoPredicateType: string;

                    /** Attestation inTotoSubjects. */
                    inTotoSubjects: moby.buildkit.v1.frontend.InTotoSubject.$Properties[];

                    /**
                     * Creates a new Attestation instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns Attestation instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.Attestation.$Shape): moby.buildkit.v1.frontend.Attestation & moby.buildkit.v1.frontend.Attestation.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.Attestation.$Properties): moby.buildkit.v1.frontend.Attestation;

                    /**
                     * Encodes the specified Attestation message. Does not implicitly {@link moby.buildkit.v1.frontend.Attestation.verify|verify} messages.
                     * @param message Attestation message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.Attestation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an Attestation message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.Attestation & moby.buildkit.v1.frontend.Attestation.$Shape} Attestation
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.Attestation & moby.buildkit.v1.frontend.Attestation.$Shape;

                    /**
                     * Creates an Attestation message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns Attestation
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.Attestation;

                    /**
                     * Creates a plain object from an Attestation message. Also converts values to other types if specified.
                     * @param message Attestation
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.Attestation, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this Attestation to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace Attestation {

                    /** Properties of an Attestation. */
                    interface $Properties {

                        /** Attestation kind */
                        kind?: (moby.buildkit.v1.frontend.AttestationKind|null);

                        /** Attestation metadata */
                        metadata?: ({ [k: string]: Uint8Array }|null);

                        /** Attestation ref */
                        ref?: (moby.buildkit.v1.frontend.Ref.$Properties|null);

                        /** Attestation path */
                        path?: (string|null);

                        /** Attestation inTotoPredicateType */
                        inTotoPredicateType?: (string|null);

                        /** Attestation inTotoSubjects */
                        inTotoSubjects?: (moby.buildkit.v1.frontend.InTotoSubject.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an Attestation. */
                    type $Shape = moby.buildkit.v1.frontend.Attestation.$Properties;
                }

                /** AttestationKind enum. */
                enum AttestationKind {

                    /** InToto value */
                    InToto = 0,

                    /** Bundle value */
                    Bundle = 1
                }

                /**
                 * Properties of an InTotoSubject.
                 * @deprecated Use moby.buildkit.v1.frontend.InTotoSubject.$Properties instead.
                 */
                interface IInTotoSubject extends moby.buildkit.v1.frontend.InTotoSubject.$Properties {
                }

                /** Represents an InTotoSubject. */
                class InTotoSubject {

                    /**
                     * Constructs a new InTotoSubject.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.InTotoSubject.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** InTotoSubject kind. */
                    kind: moby.buildkit.v1.frontend.InTotoSubjectKind;

                    /** InTotoSubject digest. */
                    digest: string[];

                    /** InTotoSubject name. */
                    name: string;

                    /**
                     * Creates a new InTotoSubject instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns InTotoSubject instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.InTotoSubject.$Shape): moby.buildkit.v1.frontend.InTotoSubject & moby.buildkit.v1.frontend.InTotoSubject.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.InTotoSubject.$Properties): moby.buildkit.v1.frontend.InTotoSubject;

                    /**
                     * Encodes the specified InTotoSubject message. Does not implicitly {@link moby.buildkit.v1.frontend.InTotoSubject.verify|verify} messages.
                     * @param message InTotoSubject message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.InTotoSubject.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an InTotoSubject message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.InTotoSubject & moby.buildkit.v1.frontend.InTotoSubject.$Shape} InTotoSubject
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.InTotoSubject & moby.buildkit.v1.frontend.InTotoSubject.$Shape;

                    /**
                     * Creates an InTotoSubject message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns InTotoSubject
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.InTotoSubject;

                    /**
                     * Creates a plain object from an InTotoSubject message. Also converts values to other types if specified.
                     * @param message InTotoSubject
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.InTotoSubject, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this InTotoSubject to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace InTotoSubject {

                    /** Properties of an InTotoSubject. */
                    interface $Properties {

                        /** InTotoSubject kind */
                        kind?: (moby.buildkit.v1.frontend.InTotoSubjectKind|null);

                        /** InTotoSubject digest */
                        digest?: (string[]|null);

                        /** InTotoSubject name */
                        name?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an InTotoSubject. */
                    type $Shape = moby.buildkit.v1.frontend.InTotoSubject.$Properties;
                }

                /** InTotoSubjectKind enum. */
                enum InTotoSubjectKind {

                    /** Self value */
                    Self = 0,

                    /** Raw value */
                    Raw = 1
                }

                /**
                 * Properties of a ReturnRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.ReturnRequest.$Properties instead.
                 */
                interface IReturnRequest extends moby.buildkit.v1.frontend.ReturnRequest.$Properties {
                }

                /** Ends the gateway build: either a result or an error. */
                class ReturnRequest {

                    /**
                     * Constructs a new ReturnRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReturnRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReturnRequest result. */
                    result?: (moby.buildkit.v1.frontend.Result.$Properties|null);

                    /** ReturnRequest error. */
                    error?: (google.rpc.Status.$Properties|null);

                    /**
                     * Creates a new ReturnRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReturnRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReturnRequest.$Shape): moby.buildkit.v1.frontend.ReturnRequest & moby.buildkit.v1.frontend.ReturnRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReturnRequest.$Properties): moby.buildkit.v1.frontend.ReturnRequest;

                    /**
                     * Encodes the specified ReturnRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.ReturnRequest.verify|verify} messages.
                     * @param message ReturnRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReturnRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReturnRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReturnRequest & moby.buildkit.v1.frontend.ReturnRequest.$Shape} ReturnRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReturnRequest & moby.buildkit.v1.frontend.ReturnRequest.$Shape;

                    /**
                     * Creates a ReturnRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReturnRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReturnRequest;

                    /**
                     * Creates a plain object from a ReturnRequest message. Also converts values to other types if specified.
                     * @param message ReturnRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReturnRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReturnRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReturnRequest {

                    /** Properties of a ReturnRequest. */
                    interface $Properties {

                        /** ReturnRequest result */
                        result?: (moby.buildkit.v1.frontend.Result.$Properties|null);

                        /** ReturnRequest error */
                        error?: (google.rpc.Status.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReturnRequest. */
                    type $Shape = {
                      result?: moby.buildkit.v1.frontend.Result.$Shape|null;
                      error?: google.rpc.Status.$Shape|null;
                      $unknowns?: Uint8Array[];
                    };
                }

                /**
                 * Properties of a ReturnResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.ReturnResponse.$Properties instead.
                 */
                interface IReturnResponse extends moby.buildkit.v1.frontend.ReturnResponse.$Properties {
                }

                /** Represents a ReturnResponse. */
                class ReturnResponse {

                    /**
                     * Constructs a new ReturnResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReturnResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new ReturnResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReturnResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReturnResponse.$Shape): moby.buildkit.v1.frontend.ReturnResponse & moby.buildkit.v1.frontend.ReturnResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReturnResponse.$Properties): moby.buildkit.v1.frontend.ReturnResponse;

                    /**
                     * Encodes the specified ReturnResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.ReturnResponse.verify|verify} messages.
                     * @param message ReturnResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReturnResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReturnResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReturnResponse & moby.buildkit.v1.frontend.ReturnResponse.$Shape} ReturnResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReturnResponse & moby.buildkit.v1.frontend.ReturnResponse.$Shape;

                    /**
                     * Creates a ReturnResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReturnResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReturnResponse;

                    /**
                     * Creates a plain object from a ReturnResponse message. Also converts values to other types if specified.
                     * @param message ReturnResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReturnResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReturnResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReturnResponse {

                    /** Properties of a ReturnResponse. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReturnResponse. */
                    type $Shape = moby.buildkit.v1.frontend.ReturnResponse.$Properties;
                }

                /**
                 * Properties of an InputsRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.InputsRequest.$Properties instead.
                 */
                interface IInputsRequest extends moby.buildkit.v1.frontend.InputsRequest.$Properties {
                }

                /** Represents an InputsRequest. */
                class InputsRequest {

                    /**
                     * Constructs a new InputsRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.InputsRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new InputsRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns InputsRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.InputsRequest.$Shape): moby.buildkit.v1.frontend.InputsRequest & moby.buildkit.v1.frontend.InputsRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.InputsRequest.$Properties): moby.buildkit.v1.frontend.InputsRequest;

                    /**
                     * Encodes the specified InputsRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.InputsRequest.verify|verify} messages.
                     * @param message InputsRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.InputsRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an InputsRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.InputsRequest & moby.buildkit.v1.frontend.InputsRequest.$Shape} InputsRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.InputsRequest & moby.buildkit.v1.frontend.InputsRequest.$Shape;

                    /**
                     * Creates an InputsRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns InputsRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.InputsRequest;

                    /**
                     * Creates a plain object from an InputsRequest message. Also converts values to other types if specified.
                     * @param message InputsRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.InputsRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this InputsRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace InputsRequest {

                    /** Properties of an InputsRequest. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an InputsRequest. */
                    type $Shape = moby.buildkit.v1.frontend.InputsRequest.$Properties;
                }

                /**
                 * Properties of an InputsResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.InputsResponse.$Properties instead.
                 */
                interface IInputsResponse extends moby.buildkit.v1.frontend.InputsResponse.$Properties {
                }

                /** Represents an InputsResponse. */
                class InputsResponse {

                    /**
                     * Constructs a new InputsResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.InputsResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** InputsResponse Definitions. */
                    Definitions: { [k: string]: pb.Definition.$Properties };

                    /**
                     * Creates a new InputsResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns InputsResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.InputsResponse.$Shape): moby.buildkit.v1.frontend.InputsResponse & moby.buildkit.v1.frontend.InputsResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.InputsResponse.$Properties): moby.buildkit.v1.frontend.InputsResponse;

                    /**
                     * Encodes the specified InputsResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.InputsResponse.verify|verify} messages.
                     * @param message InputsResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.InputsResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an InputsResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.InputsResponse & moby.buildkit.v1.frontend.InputsResponse.$Shape} InputsResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.InputsResponse & moby.buildkit.v1.frontend.InputsResponse.$Shape;

                    /**
                     * Creates an InputsResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns InputsResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.InputsResponse;

                    /**
                     * Creates a plain object from an InputsResponse message. Also converts values to other types if specified.
                     * @param message InputsResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.InputsResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this InputsResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace InputsResponse {

                    /** Properties of an InputsResponse. */
                    interface $Properties {

                        /** InputsResponse Definitions */
                        Definitions?: ({ [k: string]: pb.Definition.$Properties }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an InputsResponse. */
                    type $Shape = moby.buildkit.v1.frontend.InputsResponse.$Properties;
                }

                /**
                 * Properties of a ResolveImageConfigRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Properties instead.
                 */
                interface IResolveImageConfigRequest extends moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Properties {
                }

                /** Represents a ResolveImageConfigRequest. */
                class ResolveImageConfigRequest {

                    /**
                     * Constructs a new ResolveImageConfigRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ResolveImageConfigRequest Ref. */
                    Ref: string;

                    /** ResolveImageConfigRequest Platform. */
                    Platform?: (pb.Platform.$Properties|null);

                    /** default | pull | local */
                    ResolveMode: string;

                    /** ResolveImageConfigRequest LogName. */
                    LogName: string;

                    /** 0 registry, 1 OCI layout (v0.11+) */
                    ResolverType: number;

                    /** v0.11+ */
                    SessionID: string;

                    /** v0.11+ */
                    StoreID: string;

                    /**
                     * Creates a new ResolveImageConfigRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ResolveImageConfigRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Shape): moby.buildkit.v1.frontend.ResolveImageConfigRequest & moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Properties): moby.buildkit.v1.frontend.ResolveImageConfigRequest;

                    /**
                     * Encodes the specified ResolveImageConfigRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.ResolveImageConfigRequest.verify|verify} messages.
                     * @param message ResolveImageConfigRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ResolveImageConfigRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ResolveImageConfigRequest & moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Shape} ResolveImageConfigRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ResolveImageConfigRequest & moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Shape;

                    /**
                     * Creates a ResolveImageConfigRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ResolveImageConfigRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ResolveImageConfigRequest;

                    /**
                     * Creates a plain object from a ResolveImageConfigRequest message. Also converts values to other types if specified.
                     * @param message ResolveImageConfigRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ResolveImageConfigRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ResolveImageConfigRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ResolveImageConfigRequest {

                    /** Properties of a ResolveImageConfigRequest. */
                    interface $Properties {

                        /** ResolveImageConfigRequest Ref */
                        Ref?: (string|null);

                        /** ResolveImageConfigRequest Platform */
                        Platform?: (pb.Platform.$Properties|null);

                        /** default | pull | local */
                        ResolveMode?: (string|null);

                        /** ResolveImageConfigRequest LogName */
                        LogName?: (string|null);

                        /** 0 registry, 1 OCI layout (v0.11+) */
                        ResolverType?: (number|null);

                        /** v0.11+ */
                        SessionID?: (string|null);

                        /** v0.11+ */
                        StoreID?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ResolveImageConfigRequest. */
                    type $Shape = moby.buildkit.v1.frontend.ResolveImageConfigRequest.$Properties;
                }

                /**
                 * Properties of a ResolveImageConfigResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties instead.
                 */
                interface IResolveImageConfigResponse extends moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties {
                }

                /** Represents a ResolveImageConfigResponse. */
                class ResolveImageConfigResponse {

                    /**
                     * Constructs a new ResolveImageConfigResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ResolveImageConfigResponse Digest. */
                    Digest: string;

                    /** image config JSON */
                    Config: Uint8Array;

                    /**
                     * Creates a new ResolveImageConfigResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ResolveImageConfigResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Shape): moby.buildkit.v1.frontend.ResolveImageConfigResponse & moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties): moby.buildkit.v1.frontend.ResolveImageConfigResponse;

                    /**
                     * Encodes the specified ResolveImageConfigResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.ResolveImageConfigResponse.verify|verify} messages.
                     * @param message ResolveImageConfigResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ResolveImageConfigResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ResolveImageConfigResponse & moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Shape} ResolveImageConfigResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ResolveImageConfigResponse & moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Shape;

                    /**
                     * Creates a ResolveImageConfigResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ResolveImageConfigResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ResolveImageConfigResponse;

                    /**
                     * Creates a plain object from a ResolveImageConfigResponse message. Also converts values to other types if specified.
                     * @param message ResolveImageConfigResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ResolveImageConfigResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ResolveImageConfigResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ResolveImageConfigResponse {

                    /** Properties of a ResolveImageConfigResponse. */
                    interface $Properties {

                        /** ResolveImageConfigResponse Digest */
                        Digest?: (string|null);

                        /** image config JSON */
                        Config?: (Uint8Array|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ResolveImageConfigResponse. */
                    type $Shape = moby.buildkit.v1.frontend.ResolveImageConfigResponse.$Properties;
                }

                /**
                 * Properties of a SolveRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.SolveRequest.$Properties instead.
                 */
                interface ISolveRequest extends moby.buildkit.v1.frontend.SolveRequest.$Properties {
                }

                /** Represents a SolveRequest. */
                class SolveRequest {

                    /**
                     * Constructs a new SolveRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.SolveRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** SolveRequest Definition. */
                    Definition?: (pb.Definition.$Properties|null);

                    /** SolveRequest Frontend. */
                    Frontend: string;

                    /** SolveRequest FrontendOpt. */
                    FrontendOpt: { [k: string]: string };

                    /** SolveRequest allowResultReturn. */
                    allowResultReturn: boolean;

                    /** SolveRequest allowResultArrayRef. */
                    allowResultArrayRef: boolean;

                    /** SolveRequest Final. */
                    Final: boolean;

                    /** SolveRequest ExporterAttr. */
                    ExporterAttr: Uint8Array;

                    /** SolveRequest CacheImports. */
                    CacheImports: moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties[];

                    /** SolveRequest FrontendInputs. */
                    FrontendInputs: { [k: string]: pb.Definition.$Properties };

                    /** SolveRequest Evaluate. */
                    Evaluate: boolean;

                    /** v0.11+ */
                    SourcePolicies: moby.buildkit.v1.sourcepolicy.Policy.$Properties[];

                    /**
                     * Creates a new SolveRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns SolveRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.SolveRequest.$Shape): moby.buildkit.v1.frontend.SolveRequest & moby.buildkit.v1.frontend.SolveRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.SolveRequest.$Properties): moby.buildkit.v1.frontend.SolveRequest;

                    /**
                     * Encodes the specified SolveRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.SolveRequest.verify|verify} messages.
                     * @param message SolveRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.SolveRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a SolveRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.SolveRequest & moby.buildkit.v1.frontend.SolveRequest.$Shape} SolveRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.SolveRequest & moby.buildkit.v1.frontend.SolveRequest.$Shape;

                    /**
                     * Creates a SolveRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns SolveRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.SolveRequest;

                    /**
                     * Creates a plain object from a SolveRequest message. Also converts values to other types if specified.
                     * @param message SolveRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.SolveRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this SolveRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace SolveRequest {

                    /** Properties of a SolveRequest. */
                    interface $Properties {

                        /** SolveRequest Definition */
                        Definition?: (pb.Definition.$Properties|null);

                        /** SolveRequest Frontend */
                        Frontend?: (string|null);

                        /** SolveRequest FrontendOpt */
                        FrontendOpt?: ({ [k: string]: string }|null);

                        /** SolveRequest allowResultReturn */
                        allowResultReturn?: (boolean|null);

                        /** SolveRequest allowResultArrayRef */
                        allowResultArrayRef?: (boolean|null);

                        /** SolveRequest Final */
                        Final?: (boolean|null);

                        /** SolveRequest ExporterAttr */
                        ExporterAttr?: (Uint8Array|null);

                        /** SolveRequest CacheImports */
                        CacheImports?: (moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties[]|null);

                        /** SolveRequest FrontendInputs */
                        FrontendInputs?: ({ [k: string]: pb.Definition.$Properties }|null);

                        /** SolveRequest Evaluate */
                        Evaluate?: (boolean|null);

                        /** v0.11+ */
                        SourcePolicies?: (moby.buildkit.v1.sourcepolicy.Policy.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a SolveRequest. */
                    type $Shape = moby.buildkit.v1.frontend.SolveRequest.$Properties;
                }

                /**
                 * Properties of a CacheOptionsEntry.
                 * @deprecated Use moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties instead.
                 */
                interface ICacheOptionsEntry extends moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties {
                }

                /** Represents a CacheOptionsEntry. */
                class CacheOptionsEntry {

                    /**
                     * Constructs a new CacheOptionsEntry.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** CacheOptionsEntry Type. */
                    Type: string;

                    /** CacheOptionsEntry Attrs. */
                    Attrs: { [k: string]: string };

                    /**
                     * Creates a new CacheOptionsEntry instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns CacheOptionsEntry instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.CacheOptionsEntry.$Shape): moby.buildkit.v1.frontend.CacheOptionsEntry & moby.buildkit.v1.frontend.CacheOptionsEntry.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties): moby.buildkit.v1.frontend.CacheOptionsEntry;

                    /**
                     * Encodes the specified CacheOptionsEntry message. Does not implicitly {@link moby.buildkit.v1.frontend.CacheOptionsEntry.verify|verify} messages.
                     * @param message CacheOptionsEntry message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a CacheOptionsEntry message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.CacheOptionsEntry & moby.buildkit.v1.frontend.CacheOptionsEntry.$Shape} CacheOptionsEntry
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.CacheOptionsEntry & moby.buildkit.v1.frontend.CacheOptionsEntry.$Shape;

                    /**
                     * Creates a CacheOptionsEntry message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns CacheOptionsEntry
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.CacheOptionsEntry;

                    /**
                     * Creates a plain object from a CacheOptionsEntry message. Also converts values to other types if specified.
                     * @param message CacheOptionsEntry
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.CacheOptionsEntry, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this CacheOptionsEntry to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace CacheOptionsEntry {

                    /** Properties of a CacheOptionsEntry. */
                    interface $Properties {

                        /** CacheOptionsEntry Type */
                        Type?: (string|null);

                        /** CacheOptionsEntry Attrs */
                        Attrs?: ({ [k: string]: string }|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a CacheOptionsEntry. */
                    type $Shape = moby.buildkit.v1.frontend.CacheOptionsEntry.$Properties;
                }

                /**
                 * Properties of a SolveResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.SolveResponse.$Properties instead.
                 */
                interface ISolveResponse extends moby.buildkit.v1.frontend.SolveResponse.$Properties {
                }

                /** Represents a SolveResponse. */
                class SolveResponse {

                    /**
                     * Constructs a new SolveResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.SolveResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** legacy single ref */
                    ref: string;

                    /** SolveResponse result. */
                    result?: (moby.buildkit.v1.frontend.Result.$Properties|null);

                    /**
                     * Creates a new SolveResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns SolveResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.SolveResponse.$Shape): moby.buildkit.v1.frontend.SolveResponse & moby.buildkit.v1.frontend.SolveResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.SolveResponse.$Properties): moby.buildkit.v1.frontend.SolveResponse;

                    /**
                     * Encodes the specified SolveResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.SolveResponse.verify|verify} messages.
                     * @param message SolveResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.SolveResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a SolveResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.SolveResponse & moby.buildkit.v1.frontend.SolveResponse.$Shape} SolveResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.SolveResponse & moby.buildkit.v1.frontend.SolveResponse.$Shape;

                    /**
                     * Creates a SolveResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns SolveResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.SolveResponse;

                    /**
                     * Creates a plain object from a SolveResponse message. Also converts values to other types if specified.
                     * @param message SolveResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.SolveResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this SolveResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace SolveResponse {

                    /** Properties of a SolveResponse. */
                    interface $Properties {

                        /** legacy single ref */
                        ref?: (string|null);

                        /** SolveResponse result */
                        result?: (moby.buildkit.v1.frontend.Result.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a SolveResponse. */
                    type $Shape = {
                      ref?: string|null;
                      result?: moby.buildkit.v1.frontend.Result.$Shape|null;
                      $unknowns?: Uint8Array[];
                    };
                }

                /**
                 * Properties of a ReadFileRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.ReadFileRequest.$Properties instead.
                 */
                interface IReadFileRequest extends moby.buildkit.v1.frontend.ReadFileRequest.$Properties {
                }

                /** Represents a ReadFileRequest. */
                class ReadFileRequest {

                    /**
                     * Constructs a new ReadFileRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReadFileRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReadFileRequest Ref. */
                    Ref: string;

                    /** ReadFileRequest FilePath. */
                    FilePath: string;

                    /** ReadFileRequest Range. */
                    Range?: (moby.buildkit.v1.frontend.FileRange.$Properties|null);

                    /**
                     * Creates a new ReadFileRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReadFileRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReadFileRequest.$Shape): moby.buildkit.v1.frontend.ReadFileRequest & moby.buildkit.v1.frontend.ReadFileRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReadFileRequest.$Properties): moby.buildkit.v1.frontend.ReadFileRequest;

                    /**
                     * Encodes the specified ReadFileRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.ReadFileRequest.verify|verify} messages.
                     * @param message ReadFileRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReadFileRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReadFileRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReadFileRequest & moby.buildkit.v1.frontend.ReadFileRequest.$Shape} ReadFileRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReadFileRequest & moby.buildkit.v1.frontend.ReadFileRequest.$Shape;

                    /**
                     * Creates a ReadFileRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReadFileRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReadFileRequest;

                    /**
                     * Creates a plain object from a ReadFileRequest message. Also converts values to other types if specified.
                     * @param message ReadFileRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReadFileRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReadFileRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReadFileRequest {

                    /** Properties of a ReadFileRequest. */
                    interface $Properties {

                        /** ReadFileRequest Ref */
                        Ref?: (string|null);

                        /** ReadFileRequest FilePath */
                        FilePath?: (string|null);

                        /** ReadFileRequest Range */
                        Range?: (moby.buildkit.v1.frontend.FileRange.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReadFileRequest. */
                    type $Shape = moby.buildkit.v1.frontend.ReadFileRequest.$Properties;
                }

                /**
                 * Properties of a FileRange.
                 * @deprecated Use moby.buildkit.v1.frontend.FileRange.$Properties instead.
                 */
                interface IFileRange extends moby.buildkit.v1.frontend.FileRange.$Properties {
                }

                /** Represents a FileRange. */
                class FileRange {

                    /**
                     * Constructs a new FileRange.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.FileRange.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** FileRange Offset. */
                    Offset: number;

                    /** FileRange Length. */
                    Length: number;

                    /**
                     * Creates a new FileRange instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns FileRange instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.FileRange.$Shape): moby.buildkit.v1.frontend.FileRange & moby.buildkit.v1.frontend.FileRange.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.FileRange.$Properties): moby.buildkit.v1.frontend.FileRange;

                    /**
                     * Encodes the specified FileRange message. Does not implicitly {@link moby.buildkit.v1.frontend.FileRange.verify|verify} messages.
                     * @param message FileRange message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.FileRange.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a FileRange message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.FileRange & moby.buildkit.v1.frontend.FileRange.$Shape} FileRange
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.FileRange & moby.buildkit.v1.frontend.FileRange.$Shape;

                    /**
                     * Creates a FileRange message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns FileRange
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.FileRange;

                    /**
                     * Creates a plain object from a FileRange message. Also converts values to other types if specified.
                     * @param message FileRange
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.FileRange, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this FileRange to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace FileRange {

                    /** Properties of a FileRange. */
                    interface $Properties {

                        /** FileRange Offset */
                        Offset?: (number|null);

                        /** FileRange Length */
                        Length?: (number|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a FileRange. */
                    type $Shape = moby.buildkit.v1.frontend.FileRange.$Properties;
                }

                /**
                 * Properties of a ReadFileResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.ReadFileResponse.$Properties instead.
                 */
                interface IReadFileResponse extends moby.buildkit.v1.frontend.ReadFileResponse.$Properties {
                }

                /** Represents a ReadFileResponse. */
                class ReadFileResponse {

                    /**
                     * Constructs a new ReadFileResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReadFileResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReadFileResponse Data. */
                    Data: Uint8Array;

                    /**
                     * Creates a new ReadFileResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReadFileResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReadFileResponse.$Shape): moby.buildkit.v1.frontend.ReadFileResponse & moby.buildkit.v1.frontend.ReadFileResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReadFileResponse.$Properties): moby.buildkit.v1.frontend.ReadFileResponse;

                    /**
                     * Encodes the specified ReadFileResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.ReadFileResponse.verify|verify} messages.
                     * @param message ReadFileResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReadFileResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReadFileResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReadFileResponse & moby.buildkit.v1.frontend.ReadFileResponse.$Shape} ReadFileResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReadFileResponse & moby.buildkit.v1.frontend.ReadFileResponse.$Shape;

                    /**
                     * Creates a ReadFileResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReadFileResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReadFileResponse;

                    /**
                     * Creates a plain object from a ReadFileResponse message. Also converts values to other types if specified.
                     * @param message ReadFileResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReadFileResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReadFileResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReadFileResponse {

                    /** Properties of a ReadFileResponse. */
                    interface $Properties {

                        /** ReadFileResponse Data */
                        Data?: (Uint8Array|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReadFileResponse. */
                    type $Shape = moby.buildkit.v1.frontend.ReadFileResponse.$Properties;
                }

                /**
                 * Properties of a ReadDirRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.ReadDirRequest.$Properties instead.
                 */
                interface IReadDirRequest extends moby.buildkit.v1.frontend.ReadDirRequest.$Properties {
                }

                /** Represents a ReadDirRequest. */
                class ReadDirRequest {

                    /**
                     * Constructs a new ReadDirRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReadDirRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReadDirRequest Ref. */
                    Ref: string;

                    /** ReadDirRequest DirPath. */
                    DirPath: string;

                    /** ReadDirRequest IncludePattern. */
                    IncludePattern: string;

                    /**
                     * Creates a new ReadDirRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReadDirRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReadDirRequest.$Shape): moby.buildkit.v1.frontend.ReadDirRequest & moby.buildkit.v1.frontend.ReadDirRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReadDirRequest.$Properties): moby.buildkit.v1.frontend.ReadDirRequest;

                    /**
                     * Encodes the specified ReadDirRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.ReadDirRequest.verify|verify} messages.
                     * @param message ReadDirRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReadDirRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReadDirRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReadDirRequest & moby.buildkit.v1.frontend.ReadDirRequest.$Shape} ReadDirRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReadDirRequest & moby.buildkit.v1.frontend.ReadDirRequest.$Shape;

                    /**
                     * Creates a ReadDirRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReadDirRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReadDirRequest;

                    /**
                     * Creates a plain object from a ReadDirRequest message. Also converts values to other types if specified.
                     * @param message ReadDirRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReadDirRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReadDirRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReadDirRequest {

                    /** Properties of a ReadDirRequest. */
                    interface $Properties {

                        /** ReadDirRequest Ref */
                        Ref?: (string|null);

                        /** ReadDirRequest DirPath */
                        DirPath?: (string|null);

                        /** ReadDirRequest IncludePattern */
                        IncludePattern?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReadDirRequest. */
                    type $Shape = moby.buildkit.v1.frontend.ReadDirRequest.$Properties;
                }

                /**
                 * Properties of a ReadDirResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.ReadDirResponse.$Properties instead.
                 */
                interface IReadDirResponse extends moby.buildkit.v1.frontend.ReadDirResponse.$Properties {
                }

                /** Represents a ReadDirResponse. */
                class ReadDirResponse {

                    /**
                     * Constructs a new ReadDirResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReadDirResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReadDirResponse entries. */
                    entries: fsutil.types.Stat.$Properties[];

                    /**
                     * Creates a new ReadDirResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReadDirResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReadDirResponse.$Shape): moby.buildkit.v1.frontend.ReadDirResponse & moby.buildkit.v1.frontend.ReadDirResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReadDirResponse.$Properties): moby.buildkit.v1.frontend.ReadDirResponse;

                    /**
                     * Encodes the specified ReadDirResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.ReadDirResponse.verify|verify} messages.
                     * @param message ReadDirResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReadDirResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReadDirResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReadDirResponse & moby.buildkit.v1.frontend.ReadDirResponse.$Shape} ReadDirResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReadDirResponse & moby.buildkit.v1.frontend.ReadDirResponse.$Shape;

                    /**
                     * Creates a ReadDirResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReadDirResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReadDirResponse;

                    /**
                     * Creates a plain object from a ReadDirResponse message. Also converts values to other types if specified.
                     * @param message ReadDirResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReadDirResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReadDirResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReadDirResponse {

                    /** Properties of a ReadDirResponse. */
                    interface $Properties {

                        /** ReadDirResponse entries */
                        entries?: (fsutil.types.Stat.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReadDirResponse. */
                    type $Shape = moby.buildkit.v1.frontend.ReadDirResponse.$Properties;
                }

                /**
                 * Properties of a StatFileRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.StatFileRequest.$Properties instead.
                 */
                interface IStatFileRequest extends moby.buildkit.v1.frontend.StatFileRequest.$Properties {
                }

                /** Represents a StatFileRequest. */
                class StatFileRequest {

                    /**
                     * Constructs a new StatFileRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.StatFileRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** StatFileRequest Ref. */
                    Ref: string;

                    /** StatFileRequest Path. */
                    Path: string;

                    /**
                     * Creates a new StatFileRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns StatFileRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.StatFileRequest.$Shape): moby.buildkit.v1.frontend.StatFileRequest & moby.buildkit.v1.frontend.StatFileRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.StatFileRequest.$Properties): moby.buildkit.v1.frontend.StatFileRequest;

                    /**
                     * Encodes the specified StatFileRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.StatFileRequest.verify|verify} messages.
                     * @param message StatFileRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.StatFileRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a StatFileRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.StatFileRequest & moby.buildkit.v1.frontend.StatFileRequest.$Shape} StatFileRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.StatFileRequest & moby.buildkit.v1.frontend.StatFileRequest.$Shape;

                    /**
                     * Creates a StatFileRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns StatFileRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.StatFileRequest;

                    /**
                     * Creates a plain object from a StatFileRequest message. Also converts values to other types if specified.
                     * @param message StatFileRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.StatFileRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this StatFileRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace StatFileRequest {

                    /** Properties of a StatFileRequest. */
                    interface $Properties {

                        /** StatFileRequest Ref */
                        Ref?: (string|null);

                        /** StatFileRequest Path */
                        Path?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a StatFileRequest. */
                    type $Shape = moby.buildkit.v1.frontend.StatFileRequest.$Properties;
                }

                /**
                 * Properties of a StatFileResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.StatFileResponse.$Properties instead.
                 */
                interface IStatFileResponse extends moby.buildkit.v1.frontend.StatFileResponse.$Properties {
                }

                /** Represents a StatFileResponse. */
                class StatFileResponse {

                    /**
                     * Constructs a new StatFileResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.StatFileResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** StatFileResponse stat. */
                    stat?: (fsutil.types.Stat.$Properties|null);

                    /**
                     * Creates a new StatFileResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns StatFileResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.StatFileResponse.$Shape): moby.buildkit.v1.frontend.StatFileResponse & moby.buildkit.v1.frontend.StatFileResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.StatFileResponse.$Properties): moby.buildkit.v1.frontend.StatFileResponse;

                    /**
                     * Encodes the specified StatFileResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.StatFileResponse.verify|verify} messages.
                     * @param message StatFileResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.StatFileResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a StatFileResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.StatFileResponse & moby.buildkit.v1.frontend.StatFileResponse.$Shape} StatFileResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.StatFileResponse & moby.buildkit.v1.frontend.StatFileResponse.$Shape;

                    /**
                     * Creates a StatFileResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns StatFileResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.StatFileResponse;

                    /**
                     * Creates a plain object from a StatFileResponse message. Also converts values to other types if specified.
                     * @param message StatFileResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.StatFileResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this StatFileResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace StatFileResponse {

                    /** Properties of a StatFileResponse. */
                    interface $Properties {

                        /** StatFileResponse stat */
                        stat?: (fsutil.types.Stat.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a StatFileResponse. */
                    type $Shape = moby.buildkit.v1.frontend.StatFileResponse.$Properties;
                }

                /**
                 * Properties of an EvaluateRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.EvaluateRequest.$Properties instead.
                 */
                interface IEvaluateRequest extends moby.buildkit.v1.frontend.EvaluateRequest.$Properties {
                }

                /** Represents an EvaluateRequest. */
                class EvaluateRequest {

                    /**
                     * Constructs a new EvaluateRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.EvaluateRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** EvaluateRequest Ref. */
                    Ref: string;

                    /**
                     * Creates a new EvaluateRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns EvaluateRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.EvaluateRequest.$Shape): moby.buildkit.v1.frontend.EvaluateRequest & moby.buildkit.v1.frontend.EvaluateRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.EvaluateRequest.$Properties): moby.buildkit.v1.frontend.EvaluateRequest;

                    /**
                     * Encodes the specified EvaluateRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.EvaluateRequest.verify|verify} messages.
                     * @param message EvaluateRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.EvaluateRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an EvaluateRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.EvaluateRequest & moby.buildkit.v1.frontend.EvaluateRequest.$Shape} EvaluateRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.EvaluateRequest & moby.buildkit.v1.frontend.EvaluateRequest.$Shape;

                    /**
                     * Creates an EvaluateRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns EvaluateRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.EvaluateRequest;

                    /**
                     * Creates a plain object from an EvaluateRequest message. Also converts values to other types if specified.
                     * @param message EvaluateRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.EvaluateRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this EvaluateRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace EvaluateRequest {

                    /** Properties of an EvaluateRequest. */
                    interface $Properties {

                        /** EvaluateRequest Ref */
                        Ref?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an EvaluateRequest. */
                    type $Shape = moby.buildkit.v1.frontend.EvaluateRequest.$Properties;
                }

                /**
                 * Properties of an EvaluateResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.EvaluateResponse.$Properties instead.
                 */
                interface IEvaluateResponse extends moby.buildkit.v1.frontend.EvaluateResponse.$Properties {
                }

                /** Represents an EvaluateResponse. */
                class EvaluateResponse {

                    /**
                     * Constructs a new EvaluateResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.EvaluateResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new EvaluateResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns EvaluateResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.EvaluateResponse.$Shape): moby.buildkit.v1.frontend.EvaluateResponse & moby.buildkit.v1.frontend.EvaluateResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.EvaluateResponse.$Properties): moby.buildkit.v1.frontend.EvaluateResponse;

                    /**
                     * Encodes the specified EvaluateResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.EvaluateResponse.verify|verify} messages.
                     * @param message EvaluateResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.EvaluateResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an EvaluateResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.EvaluateResponse & moby.buildkit.v1.frontend.EvaluateResponse.$Shape} EvaluateResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.EvaluateResponse & moby.buildkit.v1.frontend.EvaluateResponse.$Shape;

                    /**
                     * Creates an EvaluateResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns EvaluateResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.EvaluateResponse;

                    /**
                     * Creates a plain object from an EvaluateResponse message. Also converts values to other types if specified.
                     * @param message EvaluateResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.EvaluateResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this EvaluateResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace EvaluateResponse {

                    /** Properties of an EvaluateResponse. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an EvaluateResponse. */
                    type $Shape = moby.buildkit.v1.frontend.EvaluateResponse.$Properties;
                }

                /**
                 * Properties of a PingRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.PingRequest.$Properties instead.
                 */
                interface IPingRequest extends moby.buildkit.v1.frontend.PingRequest.$Properties {
                }

                /** Represents a PingRequest. */
                class PingRequest {

                    /**
                     * Constructs a new PingRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.PingRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new PingRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns PingRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.PingRequest.$Shape): moby.buildkit.v1.frontend.PingRequest & moby.buildkit.v1.frontend.PingRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.PingRequest.$Properties): moby.buildkit.v1.frontend.PingRequest;

                    /**
                     * Encodes the specified PingRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.PingRequest.verify|verify} messages.
                     * @param message PingRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.PingRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a PingRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.PingRequest & moby.buildkit.v1.frontend.PingRequest.$Shape} PingRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.PingRequest & moby.buildkit.v1.frontend.PingRequest.$Shape;

                    /**
                     * Creates a PingRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns PingRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.PingRequest;

                    /**
                     * Creates a plain object from a PingRequest message. Also converts values to other types if specified.
                     * @param message PingRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.PingRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this PingRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace PingRequest {

                    /** Properties of a PingRequest. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a PingRequest. */
                    type $Shape = moby.buildkit.v1.frontend.PingRequest.$Properties;
                }

                /**
                 * Properties of a PongResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.PongResponse.$Properties instead.
                 */
                interface IPongResponse extends moby.buildkit.v1.frontend.PongResponse.$Properties {
                }

                /** Represents a PongResponse. */
                class PongResponse {

                    /**
                     * Constructs a new PongResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.PongResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** PongResponse FrontendAPICaps. */
                    FrontendAPICaps: moby.buildkit.v1.apicaps.APICap.$Properties[];

                    /** PongResponse LLBCaps. */
                    LLBCaps: moby.buildkit.v1.apicaps.APICap.$Properties[];

                    /** PongResponse Workers. */
                    Workers: moby.buildkit.v1.types.WorkerRecord.$Properties[];

                    /**
                     * Creates a new PongResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns PongResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.PongResponse.$Shape): moby.buildkit.v1.frontend.PongResponse & moby.buildkit.v1.frontend.PongResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.PongResponse.$Properties): moby.buildkit.v1.frontend.PongResponse;

                    /**
                     * Encodes the specified PongResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.PongResponse.verify|verify} messages.
                     * @param message PongResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.PongResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a PongResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.PongResponse & moby.buildkit.v1.frontend.PongResponse.$Shape} PongResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.PongResponse & moby.buildkit.v1.frontend.PongResponse.$Shape;

                    /**
                     * Creates a PongResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns PongResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.PongResponse;

                    /**
                     * Creates a plain object from a PongResponse message. Also converts values to other types if specified.
                     * @param message PongResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.PongResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this PongResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace PongResponse {

                    /** Properties of a PongResponse. */
                    interface $Properties {

                        /** PongResponse FrontendAPICaps */
                        FrontendAPICaps?: (moby.buildkit.v1.apicaps.APICap.$Properties[]|null);

                        /** PongResponse LLBCaps */
                        LLBCaps?: (moby.buildkit.v1.apicaps.APICap.$Properties[]|null);

                        /** PongResponse Workers */
                        Workers?: (moby.buildkit.v1.types.WorkerRecord.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a PongResponse. */
                    type $Shape = moby.buildkit.v1.frontend.PongResponse.$Properties;
                }

                /**
                 * Properties of a WarnRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.WarnRequest.$Properties instead.
                 */
                interface IWarnRequest extends moby.buildkit.v1.frontend.WarnRequest.$Properties {
                }

                /** Represents a WarnRequest. */
                class WarnRequest {

                    /**
                     * Constructs a new WarnRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.WarnRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** WarnRequest digest. */
                    digest: string;

                    /** WarnRequest level. */
                    level: number;

                    /** WarnRequest short. */
                    short: Uint8Array;

                    /** WarnRequest detail. */
                    detail: Uint8Array[];

                    /** WarnRequest url. */
                    url: string;

                    /** WarnRequest info. */
                    info?: (pb.SourceInfo.$Properties|null);

                    /** WarnRequest ranges. */
                    ranges: pb.Range.$Properties[];

                    /**
                     * Creates a new WarnRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns WarnRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.WarnRequest.$Shape): moby.buildkit.v1.frontend.WarnRequest & moby.buildkit.v1.frontend.WarnRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.WarnRequest.$Properties): moby.buildkit.v1.frontend.WarnRequest;

                    /**
                     * Encodes the specified WarnRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.WarnRequest.verify|verify} messages.
                     * @param message WarnRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.WarnRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a WarnRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.WarnRequest & moby.buildkit.v1.frontend.WarnRequest.$Shape} WarnRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.WarnRequest & moby.buildkit.v1.frontend.WarnRequest.$Shape;

                    /**
                     * Creates a WarnRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns WarnRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.WarnRequest;

                    /**
                     * Creates a plain object from a WarnRequest message. Also converts values to other types if specified.
                     * @param message WarnRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.WarnRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this WarnRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace WarnRequest {

                    /** Properties of a WarnRequest. */
                    interface $Properties {

                        /** WarnRequest digest */
                        digest?: (string|null);

                        /** WarnRequest level */
                        level?: (number|null);

                        /** WarnRequest short */
                        short?: (Uint8Array|null);

                        /** WarnRequest detail */
                        detail?: (Uint8Array[]|null);

                        /** WarnRequest url */
                        url?: (string|null);

                        /** WarnRequest info */
                        info?: (pb.SourceInfo.$Properties|null);

                        /** WarnRequest ranges */
                        ranges?: (pb.Range.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a WarnRequest. */
                    type $Shape = moby.buildkit.v1.frontend.WarnRequest.$Properties;
                }

                /**
                 * Properties of a WarnResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.WarnResponse.$Properties instead.
                 */
                interface IWarnResponse extends moby.buildkit.v1.frontend.WarnResponse.$Properties {
                }

                /** Represents a WarnResponse. */
                class WarnResponse {

                    /**
                     * Constructs a new WarnResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.WarnResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new WarnResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns WarnResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.WarnResponse.$Shape): moby.buildkit.v1.frontend.WarnResponse & moby.buildkit.v1.frontend.WarnResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.WarnResponse.$Properties): moby.buildkit.v1.frontend.WarnResponse;

                    /**
                     * Encodes the specified WarnResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.WarnResponse.verify|verify} messages.
                     * @param message WarnResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.WarnResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a WarnResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.WarnResponse & moby.buildkit.v1.frontend.WarnResponse.$Shape} WarnResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.WarnResponse & moby.buildkit.v1.frontend.WarnResponse.$Shape;

                    /**
                     * Creates a WarnResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns WarnResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.WarnResponse;

                    /**
                     * Creates a plain object from a WarnResponse message. Also converts values to other types if specified.
                     * @param message WarnResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.WarnResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this WarnResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace WarnResponse {

                    /** Properties of a WarnResponse. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a WarnResponse. */
                    type $Shape = moby.buildkit.v1.frontend.WarnResponse.$Properties;
                }

                /**
                 * Properties of a NewContainerRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.NewContainerRequest.$Properties instead.
                 */
                interface INewContainerRequest extends moby.buildkit.v1.frontend.NewContainerRequest.$Properties {
                }

                /** Represents a NewContainerRequest. */
                class NewContainerRequest {

                    /**
                     * Constructs a new NewContainerRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.NewContainerRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** NewContainerRequest ContainerID. */
                    ContainerID: string;

                    /** NewContainerRequest Mounts. */
                    Mounts: pb.Mount.$Properties[];

                    /** NewContainerRequest Network. */
                    Network: pb.NetMode;

                    /** NewContainerRequest platform. */
                    platform?: (pb.Platform.$Properties|null);

                    /** NewContainerRequest constraints. */
                    constraints?: (pb.WorkerConstraints.$Properties|null);

                    /** NewContainerRequest extraHosts. */
                    extraHosts: pb.HostIP.$Properties[];

                    /**
                     * Creates a new NewContainerRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns NewContainerRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.NewContainerRequest.$Shape): moby.buildkit.v1.frontend.NewContainerRequest & moby.buildkit.v1.frontend.NewContainerRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.NewContainerRequest.$Properties): moby.buildkit.v1.frontend.NewContainerRequest;

                    /**
                     * Encodes the specified NewContainerRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.NewContainerRequest.verify|verify} messages.
                     * @param message NewContainerRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.NewContainerRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a NewContainerRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.NewContainerRequest & moby.buildkit.v1.frontend.NewContainerRequest.$Shape} NewContainerRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.NewContainerRequest & moby.buildkit.v1.frontend.NewContainerRequest.$Shape;

                    /**
                     * Creates a NewContainerRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns NewContainerRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.NewContainerRequest;

                    /**
                     * Creates a plain object from a NewContainerRequest message. Also converts values to other types if specified.
                     * @param message NewContainerRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.NewContainerRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this NewContainerRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace NewContainerRequest {

                    /** Properties of a NewContainerRequest. */
                    interface $Properties {

                        /** NewContainerRequest ContainerID */
                        ContainerID?: (string|null);

                        /** NewContainerRequest Mounts */
                        Mounts?: (pb.Mount.$Properties[]|null);

                        /** NewContainerRequest Network */
                        Network?: (pb.NetMode|null);

                        /** NewContainerRequest platform */
                        platform?: (pb.Platform.$Properties|null);

                        /** NewContainerRequest constraints */
                        constraints?: (pb.WorkerConstraints.$Properties|null);

                        /** NewContainerRequest extraHosts */
                        extraHosts?: (pb.HostIP.$Properties[]|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a NewContainerRequest. */
                    type $Shape = moby.buildkit.v1.frontend.NewContainerRequest.$Properties;
                }

                /**
                 * Properties of a NewContainerResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.NewContainerResponse.$Properties instead.
                 */
                interface INewContainerResponse extends moby.buildkit.v1.frontend.NewContainerResponse.$Properties {
                }

                /** Represents a NewContainerResponse. */
                class NewContainerResponse {

                    /**
                     * Constructs a new NewContainerResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.NewContainerResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new NewContainerResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns NewContainerResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.NewContainerResponse.$Shape): moby.buildkit.v1.frontend.NewContainerResponse & moby.buildkit.v1.frontend.NewContainerResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.NewContainerResponse.$Properties): moby.buildkit.v1.frontend.NewContainerResponse;

                    /**
                     * Encodes the specified NewContainerResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.NewContainerResponse.verify|verify} messages.
                     * @param message NewContainerResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.NewContainerResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a NewContainerResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.NewContainerResponse & moby.buildkit.v1.frontend.NewContainerResponse.$Shape} NewContainerResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.NewContainerResponse & moby.buildkit.v1.frontend.NewContainerResponse.$Shape;

                    /**
                     * Creates a NewContainerResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns NewContainerResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.NewContainerResponse;

                    /**
                     * Creates a plain object from a NewContainerResponse message. Also converts values to other types if specified.
                     * @param message NewContainerResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.NewContainerResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this NewContainerResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace NewContainerResponse {

                    /** Properties of a NewContainerResponse. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a NewContainerResponse. */
                    type $Shape = moby.buildkit.v1.frontend.NewContainerResponse.$Properties;
                }

                /**
                 * Properties of a ReleaseContainerRequest.
                 * @deprecated Use moby.buildkit.v1.frontend.ReleaseContainerRequest.$Properties instead.
                 */
                interface IReleaseContainerRequest extends moby.buildkit.v1.frontend.ReleaseContainerRequest.$Properties {
                }

                /** Represents a ReleaseContainerRequest. */
                class ReleaseContainerRequest {

                    /**
                     * Constructs a new ReleaseContainerRequest.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReleaseContainerRequest.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ReleaseContainerRequest ContainerID. */
                    ContainerID: string;

                    /**
                     * Creates a new ReleaseContainerRequest instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReleaseContainerRequest instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReleaseContainerRequest.$Shape): moby.buildkit.v1.frontend.ReleaseContainerRequest & moby.buildkit.v1.frontend.ReleaseContainerRequest.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReleaseContainerRequest.$Properties): moby.buildkit.v1.frontend.ReleaseContainerRequest;

                    /**
                     * Encodes the specified ReleaseContainerRequest message. Does not implicitly {@link moby.buildkit.v1.frontend.ReleaseContainerRequest.verify|verify} messages.
                     * @param message ReleaseContainerRequest message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReleaseContainerRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReleaseContainerRequest message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReleaseContainerRequest & moby.buildkit.v1.frontend.ReleaseContainerRequest.$Shape} ReleaseContainerRequest
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReleaseContainerRequest & moby.buildkit.v1.frontend.ReleaseContainerRequest.$Shape;

                    /**
                     * Creates a ReleaseContainerRequest message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReleaseContainerRequest
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReleaseContainerRequest;

                    /**
                     * Creates a plain object from a ReleaseContainerRequest message. Also converts values to other types if specified.
                     * @param message ReleaseContainerRequest
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReleaseContainerRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReleaseContainerRequest to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReleaseContainerRequest {

                    /** Properties of a ReleaseContainerRequest. */
                    interface $Properties {

                        /** ReleaseContainerRequest ContainerID */
                        ContainerID?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReleaseContainerRequest. */
                    type $Shape = moby.buildkit.v1.frontend.ReleaseContainerRequest.$Properties;
                }

                /**
                 * Properties of a ReleaseContainerResponse.
                 * @deprecated Use moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties instead.
                 */
                interface IReleaseContainerResponse extends moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties {
                }

                /** Represents a ReleaseContainerResponse. */
                class ReleaseContainerResponse {

                    /**
                     * Constructs a new ReleaseContainerResponse.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new ReleaseContainerResponse instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ReleaseContainerResponse instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ReleaseContainerResponse.$Shape): moby.buildkit.v1.frontend.ReleaseContainerResponse & moby.buildkit.v1.frontend.ReleaseContainerResponse.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties): moby.buildkit.v1.frontend.ReleaseContainerResponse;

                    /**
                     * Encodes the specified ReleaseContainerResponse message. Does not implicitly {@link moby.buildkit.v1.frontend.ReleaseContainerResponse.verify|verify} messages.
                     * @param message ReleaseContainerResponse message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ReleaseContainerResponse message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ReleaseContainerResponse & moby.buildkit.v1.frontend.ReleaseContainerResponse.$Shape} ReleaseContainerResponse
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ReleaseContainerResponse & moby.buildkit.v1.frontend.ReleaseContainerResponse.$Shape;

                    /**
                     * Creates a ReleaseContainerResponse message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ReleaseContainerResponse
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ReleaseContainerResponse;

                    /**
                     * Creates a plain object from a ReleaseContainerResponse message. Also converts values to other types if specified.
                     * @param message ReleaseContainerResponse
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ReleaseContainerResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ReleaseContainerResponse to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ReleaseContainerResponse {

                    /** Properties of a ReleaseContainerResponse. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ReleaseContainerResponse. */
                    type $Shape = moby.buildkit.v1.frontend.ReleaseContainerResponse.$Properties;
                }

                /**
                 * Properties of an ExecMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.ExecMessage.$Properties instead.
                 */
                interface IExecMessage extends moby.buildkit.v1.frontend.ExecMessage.$Properties {
                }

                /** Represents an ExecMessage. */
                class ExecMessage {

                    /**
                     * Constructs a new ExecMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ExecMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ExecMessage ProcessID. */
                    ProcessID: string;

                    /** ExecMessage Init. */
                    Init?: (moby.buildkit.v1.frontend.InitMessage.$Properties|null);

                    /** ExecMessage File. */
                    File?: (moby.buildkit.v1.frontend.FdMessage.$Properties|null);

                    /** ExecMessage Resize. */
                    Resize?: (moby.buildkit.v1.frontend.ResizeMessage.$Properties|null);

                    /** ExecMessage Started. */
                    Started?: (moby.buildkit.v1.frontend.StartedMessage.$Properties|null);

                    /** ExecMessage Exit. */
                    Exit?: (moby.buildkit.v1.frontend.ExitMessage.$Properties|null);

                    /** ExecMessage Done. */
                    Done?: (moby.buildkit.v1.frontend.DoneMessage.$Properties|null);

                    /** ExecMessage Signal. */
                    Signal?: (moby.buildkit.v1.frontend.SignalMessage.$Properties|null);

                    /** ExecMessage Input. */
                    Input?: ("Init"|"File"|"Resize"|"Started"|"Exit"|"Done"|"Signal");

                    /**
                     * Creates a new ExecMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ExecMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ExecMessage.$Shape): moby.buildkit.v1.frontend.ExecMessage & moby.buildkit.v1.frontend.ExecMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ExecMessage.$Properties): moby.buildkit.v1.frontend.ExecMessage;

                    /**
                     * Encodes the specified ExecMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.ExecMessage.verify|verify} messages.
                     * @param message ExecMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ExecMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an ExecMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ExecMessage & moby.buildkit.v1.frontend.ExecMessage.$Shape} ExecMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ExecMessage & moby.buildkit.v1.frontend.ExecMessage.$Shape;

                    /**
                     * Creates an ExecMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ExecMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ExecMessage;

                    /**
                     * Creates a plain object from an ExecMessage message. Also converts values to other types if specified.
                     * @param message ExecMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ExecMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ExecMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ExecMessage {

                    /** Properties of an ExecMessage. */
                    interface $Properties {

                        /** ExecMessage ProcessID */
                        ProcessID?: (string|null);

                        /** ExecMessage Init */
                        Init?: (moby.buildkit.v1.frontend.InitMessage.$Properties|null);

                        /** ExecMessage File */
                        File?: (moby.buildkit.v1.frontend.FdMessage.$Properties|null);

                        /** ExecMessage Resize */
                        Resize?: (moby.buildkit.v1.frontend.ResizeMessage.$Properties|null);

                        /** ExecMessage Started */
                        Started?: (moby.buildkit.v1.frontend.StartedMessage.$Properties|null);

                        /** ExecMessage Exit */
                        Exit?: (moby.buildkit.v1.frontend.ExitMessage.$Properties|null);

                        /** ExecMessage Done */
                        Done?: (moby.buildkit.v1.frontend.DoneMessage.$Properties|null);

                        /** ExecMessage Signal */
                        Signal?: (moby.buildkit.v1.frontend.SignalMessage.$Properties|null);

                        /** ExecMessage Input */
                        Input?: ("Init"|"File"|"Resize"|"Started"|"Exit"|"Done"|"Signal");

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Narrowed shape of an ExecMessage. */
                    type $Shape = {
                      ProcessID?: string|null;
                      Init?: moby.buildkit.v1.frontend.InitMessage.$Shape|null;
                      File?: moby.buildkit.v1.frontend.FdMessage.$Shape|null;
                      Resize?: moby.buildkit.v1.frontend.ResizeMessage.$Shape|null;
                      Started?: moby.buildkit.v1.frontend.StartedMessage.$Shape|null;
                      Exit?: moby.buildkit.v1.frontend.ExitMessage.$Shape|null;
                      Done?: moby.buildkit.v1.frontend.DoneMessage.$Shape|null;
                      Signal?: moby.buildkit.v1.frontend.SignalMessage.$Shape|null;
                      $unknowns?: Uint8Array[];
                    } & (
                      ({ Input?: undefined; Init?: null; File?: null; Resize?: null; Started?: null; Exit?: null; Done?: null; Signal?: null }|{ Input?: "Init"; Init: moby.buildkit.v1.frontend.InitMessage.$Shape; File?: null; Resize?: null; Started?: null; Exit?: null; Done?: null; Signal?: null }|{ Input?: "File"; Init?: null; File: moby.buildkit.v1.frontend.FdMessage.$Shape; Resize?: null; Started?: null; Exit?: null; Done?: null; Signal?: null }|{ Input?: "Resize"; Init?: null; File?: null; Resize: moby.buildkit.v1.frontend.ResizeMessage.$Shape; Started?: null; Exit?: null; Done?: null; Signal?: null }|{ Input?: "Started"; Init?: null; File?: null; Resize?: null; Started: moby.buildkit.v1.frontend.StartedMessage.$Shape; Exit?: null; Done?: null; Signal?: null }|{ Input?: "Exit"; Init?: null; File?: null; Resize?: null; Started?: null; Exit: moby.buildkit.v1.frontend.ExitMessage.$Shape; Done?: null; Signal?: null }|{ Input?: "Done"; Init?: null; File?: null; Resize?: null; Started?: null; Exit?: null; Done: moby.buildkit.v1.frontend.DoneMessage.$Shape; Signal?: null }|{ Input?: "Signal"; Init?: null; File?: null; Resize?: null; Started?: null; Exit?: null; Done?: null; Signal: moby.buildkit.v1.frontend.SignalMessage.$Shape })
                    );
                }

                /**
                 * Properties of an InitMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.InitMessage.$Properties instead.
                 */
                interface IInitMessage extends moby.buildkit.v1.frontend.InitMessage.$Properties {
                }

                /** Represents an InitMessage. */
                class InitMessage {

                    /**
                     * Constructs a new InitMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.InitMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** InitMessage ContainerID. */
                    ContainerID: string;

                    /** InitMessage Meta. */
                    Meta?: (pb.Meta.$Properties|null);

                    /** InitMessage Fds. */
                    Fds: number[];

                    /** InitMessage Tty. */
                    Tty: boolean;

                    /** InitMessage Security. */
                    Security: pb.SecurityMode;

                    /**
                     * Creates a new InitMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns InitMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.InitMessage.$Shape): moby.buildkit.v1.frontend.InitMessage & moby.buildkit.v1.frontend.InitMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.InitMessage.$Properties): moby.buildkit.v1.frontend.InitMessage;

                    /**
                     * Encodes the specified InitMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.InitMessage.verify|verify} messages.
                     * @param message InitMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.InitMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an InitMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.InitMessage & moby.buildkit.v1.frontend.InitMessage.$Shape} InitMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.InitMessage & moby.buildkit.v1.frontend.InitMessage.$Shape;

                    /**
                     * Creates an InitMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns InitMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.InitMessage;

                    /**
                     * Creates a plain object from an InitMessage message. Also converts values to other types if specified.
                     * @param message InitMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.InitMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this InitMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace InitMessage {

                    /** Properties of an InitMessage. */
                    interface $Properties {

                        /** InitMessage ContainerID */
                        ContainerID?: (string|null);

                        /** InitMessage Meta */
                        Meta?: (pb.Meta.$Properties|null);

                        /** InitMessage Fds */
                        Fds?: (number[]|null);

                        /** InitMessage Tty */
                        Tty?: (boolean|null);

                        /** InitMessage Security */
                        Security?: (pb.SecurityMode|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an InitMessage. */
                    type $Shape = moby.buildkit.v1.frontend.InitMessage.$Properties;
                }

                /**
                 * Properties of an ExitMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.ExitMessage.$Properties instead.
                 */
                interface IExitMessage extends moby.buildkit.v1.frontend.ExitMessage.$Properties {
                }

                /** Represents an ExitMessage. */
                class ExitMessage {

                    /**
                     * Constructs a new ExitMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ExitMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ExitMessage Code. */
                    Code: number;

                    /** ExitMessage Error. */
                    Error?: (google.rpc.Status.$Properties|null);

                    /**
                     * Creates a new ExitMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ExitMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ExitMessage.$Shape): moby.buildkit.v1.frontend.ExitMessage & moby.buildkit.v1.frontend.ExitMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ExitMessage.$Properties): moby.buildkit.v1.frontend.ExitMessage;

                    /**
                     * Encodes the specified ExitMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.ExitMessage.verify|verify} messages.
                     * @param message ExitMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ExitMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes an ExitMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ExitMessage & moby.buildkit.v1.frontend.ExitMessage.$Shape} ExitMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ExitMessage & moby.buildkit.v1.frontend.ExitMessage.$Shape;

                    /**
                     * Creates an ExitMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ExitMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ExitMessage;

                    /**
                     * Creates a plain object from an ExitMessage message. Also converts values to other types if specified.
                     * @param message ExitMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ExitMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ExitMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ExitMessage {

                    /** Properties of an ExitMessage. */
                    interface $Properties {

                        /** ExitMessage Code */
                        Code?: (number|null);

                        /** ExitMessage Error */
                        Error?: (google.rpc.Status.$Properties|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of an ExitMessage. */
                    type $Shape = moby.buildkit.v1.frontend.ExitMessage.$Properties;
                }

                /**
                 * Properties of a StartedMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.StartedMessage.$Properties instead.
                 */
                interface IStartedMessage extends moby.buildkit.v1.frontend.StartedMessage.$Properties {
                }

                /** Represents a StartedMessage. */
                class StartedMessage {

                    /**
                     * Constructs a new StartedMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.StartedMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new StartedMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns StartedMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.StartedMessage.$Shape): moby.buildkit.v1.frontend.StartedMessage & moby.buildkit.v1.frontend.StartedMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.StartedMessage.$Properties): moby.buildkit.v1.frontend.StartedMessage;

                    /**
                     * Encodes the specified StartedMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.StartedMessage.verify|verify} messages.
                     * @param message StartedMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.StartedMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a StartedMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.StartedMessage & moby.buildkit.v1.frontend.StartedMessage.$Shape} StartedMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.StartedMessage & moby.buildkit.v1.frontend.StartedMessage.$Shape;

                    /**
                     * Creates a StartedMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns StartedMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.StartedMessage;

                    /**
                     * Creates a plain object from a StartedMessage message. Also converts values to other types if specified.
                     * @param message StartedMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.StartedMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this StartedMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace StartedMessage {

                    /** Properties of a StartedMessage. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a StartedMessage. */
                    type $Shape = moby.buildkit.v1.frontend.StartedMessage.$Properties;
                }

                /**
                 * Properties of a DoneMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.DoneMessage.$Properties instead.
                 */
                interface IDoneMessage extends moby.buildkit.v1.frontend.DoneMessage.$Properties {
                }

                /** Represents a DoneMessage. */
                class DoneMessage {

                    /**
                     * Constructs a new DoneMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.DoneMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /**
                     * Creates a new DoneMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns DoneMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.DoneMessage.$Shape): moby.buildkit.v1.frontend.DoneMessage & moby.buildkit.v1.frontend.DoneMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.DoneMessage.$Properties): moby.buildkit.v1.frontend.DoneMessage;

                    /**
                     * Encodes the specified DoneMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.DoneMessage.verify|verify} messages.
                     * @param message DoneMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.DoneMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a DoneMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.DoneMessage & moby.buildkit.v1.frontend.DoneMessage.$Shape} DoneMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.DoneMessage & moby.buildkit.v1.frontend.DoneMessage.$Shape;

                    /**
                     * Creates a DoneMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns DoneMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.DoneMessage;

                    /**
                     * Creates a plain object from a DoneMessage message. Also converts values to other types if specified.
                     * @param message DoneMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.DoneMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this DoneMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace DoneMessage {

                    /** Properties of a DoneMessage. */
                    interface $Properties {

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a DoneMessage. */
                    type $Shape = moby.buildkit.v1.frontend.DoneMessage.$Properties;
                }

                /**
                 * Properties of a FdMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.FdMessage.$Properties instead.
                 */
                interface IFdMessage extends moby.buildkit.v1.frontend.FdMessage.$Properties {
                }

                /** Represents a FdMessage. */
                class FdMessage {

                    /**
                     * Constructs a new FdMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.FdMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** FdMessage Fd. */
                    Fd: number;

                    /** FdMessage EOF. */
                    EOF: boolean;

                    /** FdMessage Data. */
                    Data: Uint8Array;

                    /**
                     * Creates a new FdMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns FdMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.FdMessage.$Shape): moby.buildkit.v1.frontend.FdMessage & moby.buildkit.v1.frontend.FdMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.FdMessage.$Properties): moby.buildkit.v1.frontend.FdMessage;

                    /**
                     * Encodes the specified FdMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.FdMessage.verify|verify} messages.
                     * @param message FdMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.FdMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a FdMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.FdMessage & moby.buildkit.v1.frontend.FdMessage.$Shape} FdMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.FdMessage & moby.buildkit.v1.frontend.FdMessage.$Shape;

                    /**
                     * Creates a FdMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns FdMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.FdMessage;

                    /**
                     * Creates a plain object from a FdMessage message. Also converts values to other types if specified.
                     * @param message FdMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.FdMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this FdMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace FdMessage {

                    /** Properties of a FdMessage. */
                    interface $Properties {

                        /** FdMessage Fd */
                        Fd?: (number|null);

                        /** FdMessage EOF */
                        EOF?: (boolean|null);

                        /** FdMessage Data */
                        Data?: (Uint8Array|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a FdMessage. */
                    type $Shape = moby.buildkit.v1.frontend.FdMessage.$Properties;
                }

                /**
                 * Properties of a ResizeMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.ResizeMessage.$Properties instead.
                 */
                interface IResizeMessage extends moby.buildkit.v1.frontend.ResizeMessage.$Properties {
                }

                /** Represents a ResizeMessage. */
                class ResizeMessage {

                    /**
                     * Constructs a new ResizeMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.ResizeMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** ResizeMessage Rows. */
                    Rows: number;

                    /** ResizeMessage Cols. */
                    Cols: number;

                    /**
                     * Creates a new ResizeMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns ResizeMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.ResizeMessage.$Shape): moby.buildkit.v1.frontend.ResizeMessage & moby.buildkit.v1.frontend.ResizeMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.ResizeMessage.$Properties): moby.buildkit.v1.frontend.ResizeMessage;

                    /**
                     * Encodes the specified ResizeMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.ResizeMessage.verify|verify} messages.
                     * @param message ResizeMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.ResizeMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a ResizeMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.ResizeMessage & moby.buildkit.v1.frontend.ResizeMessage.$Shape} ResizeMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.ResizeMessage & moby.buildkit.v1.frontend.ResizeMessage.$Shape;

                    /**
                     * Creates a ResizeMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns ResizeMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.ResizeMessage;

                    /**
                     * Creates a plain object from a ResizeMessage message. Also converts values to other types if specified.
                     * @param message ResizeMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.ResizeMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this ResizeMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace ResizeMessage {

                    /** Properties of a ResizeMessage. */
                    interface $Properties {

                        /** ResizeMessage Rows */
                        Rows?: (number|null);

                        /** ResizeMessage Cols */
                        Cols?: (number|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a ResizeMessage. */
                    type $Shape = moby.buildkit.v1.frontend.ResizeMessage.$Properties;
                }

                /**
                 * Properties of a SignalMessage.
                 * @deprecated Use moby.buildkit.v1.frontend.SignalMessage.$Properties instead.
                 */
                interface ISignalMessage extends moby.buildkit.v1.frontend.SignalMessage.$Properties {
                }

                /** Represents a SignalMessage. */
                class SignalMessage {

                    /**
                     * Constructs a new SignalMessage.
                     * @param [properties] Properties to set
                     */
                    constructor(properties?: moby.buildkit.v1.frontend.SignalMessage.$Properties);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];

                    /** SignalMessage Name. */
                    Name: string;

                    /**
                     * Creates a new SignalMessage instance using the specified properties.
                     * @param [properties] Properties to set
                     * @returns SignalMessage instance
                     */
                    static create(properties: moby.buildkit.v1.frontend.SignalMessage.$Shape): moby.buildkit.v1.frontend.SignalMessage & moby.buildkit.v1.frontend.SignalMessage.$Shape;
                    static create(properties?: moby.buildkit.v1.frontend.SignalMessage.$Properties): moby.buildkit.v1.frontend.SignalMessage;

                    /**
                     * Encodes the specified SignalMessage message. Does not implicitly {@link moby.buildkit.v1.frontend.SignalMessage.verify|verify} messages.
                     * @param message SignalMessage message or plain object to encode
                     * @param [writer] Writer to encode to
                     * @returns Writer
                     */
                    static encode(message: moby.buildkit.v1.frontend.SignalMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                    /**
                     * Decodes a SignalMessage message from the specified reader or buffer.
                     * @param reader Reader or buffer to decode from
                     * @param [length] Message length if known beforehand
                     * @returns {moby.buildkit.v1.frontend.SignalMessage & moby.buildkit.v1.frontend.SignalMessage.$Shape} SignalMessage
                     * @throws {Error} If the payload is not a reader or valid buffer
                     * @throws {$protobuf.util.ProtocolError} If required fields are missing
                     */
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.buildkit.v1.frontend.SignalMessage & moby.buildkit.v1.frontend.SignalMessage.$Shape;

                    /**
                     * Creates a SignalMessage message from a plain object. Also converts values to their respective internal types.
                     * @param object Plain object
                     * @returns SignalMessage
                     */
                    static fromObject(object: object): moby.buildkit.v1.frontend.SignalMessage;

                    /**
                     * Creates a plain object from a SignalMessage message. Also converts values to other types if specified.
                     * @param message SignalMessage
                     * @param [options] Conversion options
                     * @returns Plain object
                     */
                    static toObject(message: moby.buildkit.v1.frontend.SignalMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                    /**
                     * Converts this SignalMessage to JSON.
                     * @returns JSON object
                     */
                    toJSON(): { [k: string]: unknown };
                }

                namespace SignalMessage {

                    /** Properties of a SignalMessage. */
                    interface $Properties {

                        /** SignalMessage Name */
                        Name?: (string|null);

                        /** Unknown fields preserved while decoding when enabled */
                        $unknowns?: Uint8Array[];
                    }

                    /** Shape of a SignalMessage. */
                    type $Shape = moby.buildkit.v1.frontend.SignalMessage.$Properties;
                }
            }
        }
    }

    /** Namespace filesync. */
    namespace filesync {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of a CredentialsRequest.
             * @deprecated Use moby.filesync.v1.CredentialsRequest.$Properties instead.
             */
            interface ICredentialsRequest extends moby.filesync.v1.CredentialsRequest.$Properties {
            }

            /** Represents a CredentialsRequest. */
            class CredentialsRequest {

                /**
                 * Constructs a new CredentialsRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.CredentialsRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CredentialsRequest Host. */
                Host: string;

                /**
                 * Creates a new CredentialsRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CredentialsRequest instance
                 */
                static create(properties: moby.filesync.v1.CredentialsRequest.$Shape): moby.filesync.v1.CredentialsRequest & moby.filesync.v1.CredentialsRequest.$Shape;
                static create(properties?: moby.filesync.v1.CredentialsRequest.$Properties): moby.filesync.v1.CredentialsRequest;

                /**
                 * Encodes the specified CredentialsRequest message. Does not implicitly {@link moby.filesync.v1.CredentialsRequest.verify|verify} messages.
                 * @param message CredentialsRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.CredentialsRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CredentialsRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.CredentialsRequest & moby.filesync.v1.CredentialsRequest.$Shape} CredentialsRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.CredentialsRequest & moby.filesync.v1.CredentialsRequest.$Shape;

                /**
                 * Creates a CredentialsRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CredentialsRequest
                 */
                static fromObject(object: object): moby.filesync.v1.CredentialsRequest;

                /**
                 * Creates a plain object from a CredentialsRequest message. Also converts values to other types if specified.
                 * @param message CredentialsRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.CredentialsRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this CredentialsRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace CredentialsRequest {

                /** Properties of a CredentialsRequest. */
                interface $Properties {

                    /** CredentialsRequest Host */
                    Host?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CredentialsRequest. */
                type $Shape = moby.filesync.v1.CredentialsRequest.$Properties;
            }

            /**
             * Properties of a CredentialsResponse.
             * @deprecated Use moby.filesync.v1.CredentialsResponse.$Properties instead.
             */
            interface ICredentialsResponse extends moby.filesync.v1.CredentialsResponse.$Properties {
            }

            /** Empty strings = anonymous; an identity token goes in Secret with an empty Username. */
            class CredentialsResponse {

                /**
                 * Constructs a new CredentialsResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.CredentialsResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CredentialsResponse Username. */
                Username: string;

                /** CredentialsResponse Secret. */
                Secret: string;

                /**
                 * Creates a new CredentialsResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CredentialsResponse instance
                 */
                static create(properties: moby.filesync.v1.CredentialsResponse.$Shape): moby.filesync.v1.CredentialsResponse & moby.filesync.v1.CredentialsResponse.$Shape;
                static create(properties?: moby.filesync.v1.CredentialsResponse.$Properties): moby.filesync.v1.CredentialsResponse;

                /**
                 * Encodes the specified CredentialsResponse message. Does not implicitly {@link moby.filesync.v1.CredentialsResponse.verify|verify} messages.
                 * @param message CredentialsResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.CredentialsResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CredentialsResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.CredentialsResponse & moby.filesync.v1.CredentialsResponse.$Shape} CredentialsResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.CredentialsResponse & moby.filesync.v1.CredentialsResponse.$Shape;

                /**
                 * Creates a CredentialsResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CredentialsResponse
                 */
                static fromObject(object: object): moby.filesync.v1.CredentialsResponse;

                /**
                 * Creates a plain object from a CredentialsResponse message. Also converts values to other types if specified.
                 * @param message CredentialsResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.CredentialsResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this CredentialsResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace CredentialsResponse {

                /** Properties of a CredentialsResponse. */
                interface $Properties {

                    /** CredentialsResponse Username */
                    Username?: (string|null);

                    /** CredentialsResponse Secret */
                    Secret?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CredentialsResponse. */
                type $Shape = moby.filesync.v1.CredentialsResponse.$Properties;
            }

            /**
             * Properties of a FetchTokenRequest.
             * @deprecated Use moby.filesync.v1.FetchTokenRequest.$Properties instead.
             */
            interface IFetchTokenRequest extends moby.filesync.v1.FetchTokenRequest.$Properties {
            }

            /** Represents a FetchTokenRequest. */
            class FetchTokenRequest {

                /**
                 * Constructs a new FetchTokenRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.FetchTokenRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** FetchTokenRequest ClientID. */
                ClientID: string;

                /** FetchTokenRequest Host. */
                Host: string;

                /** FetchTokenRequest Realm. */
                Realm: string;

                /** FetchTokenRequest Service. */
                Service: string;

                /** FetchTokenRequest Scopes. */
                Scopes: string[];

                /**
                 * Creates a new FetchTokenRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns FetchTokenRequest instance
                 */
                static create(properties: moby.filesync.v1.FetchTokenRequest.$Shape): moby.filesync.v1.FetchTokenRequest & moby.filesync.v1.FetchTokenRequest.$Shape;
                static create(properties?: moby.filesync.v1.FetchTokenRequest.$Properties): moby.filesync.v1.FetchTokenRequest;

                /**
                 * Encodes the specified FetchTokenRequest message. Does not implicitly {@link moby.filesync.v1.FetchTokenRequest.verify|verify} messages.
                 * @param message FetchTokenRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.FetchTokenRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a FetchTokenRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.FetchTokenRequest & moby.filesync.v1.FetchTokenRequest.$Shape} FetchTokenRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.FetchTokenRequest & moby.filesync.v1.FetchTokenRequest.$Shape;

                /**
                 * Creates a FetchTokenRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns FetchTokenRequest
                 */
                static fromObject(object: object): moby.filesync.v1.FetchTokenRequest;

                /**
                 * Creates a plain object from a FetchTokenRequest message. Also converts values to other types if specified.
                 * @param message FetchTokenRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.FetchTokenRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this FetchTokenRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace FetchTokenRequest {

                /** Properties of a FetchTokenRequest. */
                interface $Properties {

                    /** FetchTokenRequest ClientID */
                    ClientID?: (string|null);

                    /** FetchTokenRequest Host */
                    Host?: (string|null);

                    /** FetchTokenRequest Realm */
                    Realm?: (string|null);

                    /** FetchTokenRequest Service */
                    Service?: (string|null);

                    /** FetchTokenRequest Scopes */
                    Scopes?: (string[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a FetchTokenRequest. */
                type $Shape = moby.filesync.v1.FetchTokenRequest.$Properties;
            }

            /**
             * Properties of a FetchTokenResponse.
             * @deprecated Use moby.filesync.v1.FetchTokenResponse.$Properties instead.
             */
            interface IFetchTokenResponse extends moby.filesync.v1.FetchTokenResponse.$Properties {
            }

            /** Represents a FetchTokenResponse. */
            class FetchTokenResponse {

                /**
                 * Constructs a new FetchTokenResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.FetchTokenResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** FetchTokenResponse Token. */
                Token: string;

                /** seconds */
                ExpiresIn: number;

                /** unix seconds */
                IssuedAt: number;

                /**
                 * Creates a new FetchTokenResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns FetchTokenResponse instance
                 */
                static create(properties: moby.filesync.v1.FetchTokenResponse.$Shape): moby.filesync.v1.FetchTokenResponse & moby.filesync.v1.FetchTokenResponse.$Shape;
                static create(properties?: moby.filesync.v1.FetchTokenResponse.$Properties): moby.filesync.v1.FetchTokenResponse;

                /**
                 * Encodes the specified FetchTokenResponse message. Does not implicitly {@link moby.filesync.v1.FetchTokenResponse.verify|verify} messages.
                 * @param message FetchTokenResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.FetchTokenResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a FetchTokenResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.FetchTokenResponse & moby.filesync.v1.FetchTokenResponse.$Shape} FetchTokenResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.FetchTokenResponse & moby.filesync.v1.FetchTokenResponse.$Shape;

                /**
                 * Creates a FetchTokenResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns FetchTokenResponse
                 */
                static fromObject(object: object): moby.filesync.v1.FetchTokenResponse;

                /**
                 * Creates a plain object from a FetchTokenResponse message. Also converts values to other types if specified.
                 * @param message FetchTokenResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.FetchTokenResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this FetchTokenResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace FetchTokenResponse {

                /** Properties of a FetchTokenResponse. */
                interface $Properties {

                    /** FetchTokenResponse Token */
                    Token?: (string|null);

                    /** seconds */
                    ExpiresIn?: (number|null);

                    /** unix seconds */
                    IssuedAt?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a FetchTokenResponse. */
                type $Shape = moby.filesync.v1.FetchTokenResponse.$Properties;
            }

            /**
             * Properties of a GetTokenAuthorityRequest.
             * @deprecated Use moby.filesync.v1.GetTokenAuthorityRequest.$Properties instead.
             */
            interface IGetTokenAuthorityRequest extends moby.filesync.v1.GetTokenAuthorityRequest.$Properties {
            }

            /** Represents a GetTokenAuthorityRequest. */
            class GetTokenAuthorityRequest {

                /**
                 * Constructs a new GetTokenAuthorityRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.GetTokenAuthorityRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** GetTokenAuthorityRequest Host. */
                Host: string;

                /** GetTokenAuthorityRequest Salt. */
                Salt: Uint8Array;

                /**
                 * Creates a new GetTokenAuthorityRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns GetTokenAuthorityRequest instance
                 */
                static create(properties: moby.filesync.v1.GetTokenAuthorityRequest.$Shape): moby.filesync.v1.GetTokenAuthorityRequest & moby.filesync.v1.GetTokenAuthorityRequest.$Shape;
                static create(properties?: moby.filesync.v1.GetTokenAuthorityRequest.$Properties): moby.filesync.v1.GetTokenAuthorityRequest;

                /**
                 * Encodes the specified GetTokenAuthorityRequest message. Does not implicitly {@link moby.filesync.v1.GetTokenAuthorityRequest.verify|verify} messages.
                 * @param message GetTokenAuthorityRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.GetTokenAuthorityRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a GetTokenAuthorityRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.GetTokenAuthorityRequest & moby.filesync.v1.GetTokenAuthorityRequest.$Shape} GetTokenAuthorityRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.GetTokenAuthorityRequest & moby.filesync.v1.GetTokenAuthorityRequest.$Shape;

                /**
                 * Creates a GetTokenAuthorityRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns GetTokenAuthorityRequest
                 */
                static fromObject(object: object): moby.filesync.v1.GetTokenAuthorityRequest;

                /**
                 * Creates a plain object from a GetTokenAuthorityRequest message. Also converts values to other types if specified.
                 * @param message GetTokenAuthorityRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.GetTokenAuthorityRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this GetTokenAuthorityRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace GetTokenAuthorityRequest {

                /** Properties of a GetTokenAuthorityRequest. */
                interface $Properties {

                    /** GetTokenAuthorityRequest Host */
                    Host?: (string|null);

                    /** GetTokenAuthorityRequest Salt */
                    Salt?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a GetTokenAuthorityRequest. */
                type $Shape = moby.filesync.v1.GetTokenAuthorityRequest.$Properties;
            }

            /**
             * Properties of a GetTokenAuthorityResponse.
             * @deprecated Use moby.filesync.v1.GetTokenAuthorityResponse.$Properties instead.
             */
            interface IGetTokenAuthorityResponse extends moby.filesync.v1.GetTokenAuthorityResponse.$Properties {
            }

            /** Represents a GetTokenAuthorityResponse. */
            class GetTokenAuthorityResponse {

                /**
                 * Constructs a new GetTokenAuthorityResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.GetTokenAuthorityResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ed25519 */
                PublicKey: Uint8Array;

                /**
                 * Creates a new GetTokenAuthorityResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns GetTokenAuthorityResponse instance
                 */
                static create(properties: moby.filesync.v1.GetTokenAuthorityResponse.$Shape): moby.filesync.v1.GetTokenAuthorityResponse & moby.filesync.v1.GetTokenAuthorityResponse.$Shape;
                static create(properties?: moby.filesync.v1.GetTokenAuthorityResponse.$Properties): moby.filesync.v1.GetTokenAuthorityResponse;

                /**
                 * Encodes the specified GetTokenAuthorityResponse message. Does not implicitly {@link moby.filesync.v1.GetTokenAuthorityResponse.verify|verify} messages.
                 * @param message GetTokenAuthorityResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.GetTokenAuthorityResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a GetTokenAuthorityResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.GetTokenAuthorityResponse & moby.filesync.v1.GetTokenAuthorityResponse.$Shape} GetTokenAuthorityResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.GetTokenAuthorityResponse & moby.filesync.v1.GetTokenAuthorityResponse.$Shape;

                /**
                 * Creates a GetTokenAuthorityResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns GetTokenAuthorityResponse
                 */
                static fromObject(object: object): moby.filesync.v1.GetTokenAuthorityResponse;

                /**
                 * Creates a plain object from a GetTokenAuthorityResponse message. Also converts values to other types if specified.
                 * @param message GetTokenAuthorityResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.GetTokenAuthorityResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this GetTokenAuthorityResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace GetTokenAuthorityResponse {

                /** Properties of a GetTokenAuthorityResponse. */
                interface $Properties {

                    /** ed25519 */
                    PublicKey?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a GetTokenAuthorityResponse. */
                type $Shape = moby.filesync.v1.GetTokenAuthorityResponse.$Properties;
            }

            /**
             * Properties of a VerifyTokenAuthorityRequest.
             * @deprecated Use moby.filesync.v1.VerifyTokenAuthorityRequest.$Properties instead.
             */
            interface IVerifyTokenAuthorityRequest extends moby.filesync.v1.VerifyTokenAuthorityRequest.$Properties {
            }

            /** Represents a VerifyTokenAuthorityRequest. */
            class VerifyTokenAuthorityRequest {

                /**
                 * Constructs a new VerifyTokenAuthorityRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.VerifyTokenAuthorityRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** VerifyTokenAuthorityRequest Host. */
                Host: string;

                /** VerifyTokenAuthorityRequest Payload. */
                Payload: Uint8Array;

                /** VerifyTokenAuthorityRequest Salt. */
                Salt: Uint8Array;

                /**
                 * Creates a new VerifyTokenAuthorityRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns VerifyTokenAuthorityRequest instance
                 */
                static create(properties: moby.filesync.v1.VerifyTokenAuthorityRequest.$Shape): moby.filesync.v1.VerifyTokenAuthorityRequest & moby.filesync.v1.VerifyTokenAuthorityRequest.$Shape;
                static create(properties?: moby.filesync.v1.VerifyTokenAuthorityRequest.$Properties): moby.filesync.v1.VerifyTokenAuthorityRequest;

                /**
                 * Encodes the specified VerifyTokenAuthorityRequest message. Does not implicitly {@link moby.filesync.v1.VerifyTokenAuthorityRequest.verify|verify} messages.
                 * @param message VerifyTokenAuthorityRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.VerifyTokenAuthorityRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a VerifyTokenAuthorityRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.VerifyTokenAuthorityRequest & moby.filesync.v1.VerifyTokenAuthorityRequest.$Shape} VerifyTokenAuthorityRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.VerifyTokenAuthorityRequest & moby.filesync.v1.VerifyTokenAuthorityRequest.$Shape;

                /**
                 * Creates a VerifyTokenAuthorityRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns VerifyTokenAuthorityRequest
                 */
                static fromObject(object: object): moby.filesync.v1.VerifyTokenAuthorityRequest;

                /**
                 * Creates a plain object from a VerifyTokenAuthorityRequest message. Also converts values to other types if specified.
                 * @param message VerifyTokenAuthorityRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.VerifyTokenAuthorityRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this VerifyTokenAuthorityRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace VerifyTokenAuthorityRequest {

                /** Properties of a VerifyTokenAuthorityRequest. */
                interface $Properties {

                    /** VerifyTokenAuthorityRequest Host */
                    Host?: (string|null);

                    /** VerifyTokenAuthorityRequest Payload */
                    Payload?: (Uint8Array|null);

                    /** VerifyTokenAuthorityRequest Salt */
                    Salt?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a VerifyTokenAuthorityRequest. */
                type $Shape = moby.filesync.v1.VerifyTokenAuthorityRequest.$Properties;
            }

            /**
             * Properties of a VerifyTokenAuthorityResponse.
             * @deprecated Use moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties instead.
             */
            interface IVerifyTokenAuthorityResponse extends moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties {
            }

            /** Represents a VerifyTokenAuthorityResponse. */
            class VerifyTokenAuthorityResponse {

                /**
                 * Constructs a new VerifyTokenAuthorityResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** VerifyTokenAuthorityResponse Signed. */
                Signed: Uint8Array;

                /**
                 * Creates a new VerifyTokenAuthorityResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns VerifyTokenAuthorityResponse instance
                 */
                static create(properties: moby.filesync.v1.VerifyTokenAuthorityResponse.$Shape): moby.filesync.v1.VerifyTokenAuthorityResponse & moby.filesync.v1.VerifyTokenAuthorityResponse.$Shape;
                static create(properties?: moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties): moby.filesync.v1.VerifyTokenAuthorityResponse;

                /**
                 * Encodes the specified VerifyTokenAuthorityResponse message. Does not implicitly {@link moby.filesync.v1.VerifyTokenAuthorityResponse.verify|verify} messages.
                 * @param message VerifyTokenAuthorityResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a VerifyTokenAuthorityResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.VerifyTokenAuthorityResponse & moby.filesync.v1.VerifyTokenAuthorityResponse.$Shape} VerifyTokenAuthorityResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.VerifyTokenAuthorityResponse & moby.filesync.v1.VerifyTokenAuthorityResponse.$Shape;

                /**
                 * Creates a VerifyTokenAuthorityResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns VerifyTokenAuthorityResponse
                 */
                static fromObject(object: object): moby.filesync.v1.VerifyTokenAuthorityResponse;

                /**
                 * Creates a plain object from a VerifyTokenAuthorityResponse message. Also converts values to other types if specified.
                 * @param message VerifyTokenAuthorityResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.VerifyTokenAuthorityResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this VerifyTokenAuthorityResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace VerifyTokenAuthorityResponse {

                /** Properties of a VerifyTokenAuthorityResponse. */
                interface $Properties {

                    /** VerifyTokenAuthorityResponse Signed */
                    Signed?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a VerifyTokenAuthorityResponse. */
                type $Shape = moby.filesync.v1.VerifyTokenAuthorityResponse.$Properties;
            }

            /**
             * Properties of a BytesMessage.
             * @deprecated Use moby.filesync.v1.BytesMessage.$Properties instead.
             */
            interface IBytesMessage extends moby.filesync.v1.BytesMessage.$Properties {
            }

            /** Represents a BytesMessage. */
            class BytesMessage {

                /**
                 * Constructs a new BytesMessage.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.filesync.v1.BytesMessage.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BytesMessage data. */
                data: Uint8Array;

                /**
                 * Creates a new BytesMessage instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BytesMessage instance
                 */
                static create(properties: moby.filesync.v1.BytesMessage.$Shape): moby.filesync.v1.BytesMessage & moby.filesync.v1.BytesMessage.$Shape;
                static create(properties?: moby.filesync.v1.BytesMessage.$Properties): moby.filesync.v1.BytesMessage;

                /**
                 * Encodes the specified BytesMessage message. Does not implicitly {@link moby.filesync.v1.BytesMessage.verify|verify} messages.
                 * @param message BytesMessage message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.filesync.v1.BytesMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BytesMessage message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.filesync.v1.BytesMessage & moby.filesync.v1.BytesMessage.$Shape} BytesMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.filesync.v1.BytesMessage & moby.filesync.v1.BytesMessage.$Shape;

                /**
                 * Creates a BytesMessage message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BytesMessage
                 */
                static fromObject(object: object): moby.filesync.v1.BytesMessage;

                /**
                 * Creates a plain object from a BytesMessage message. Also converts values to other types if specified.
                 * @param message BytesMessage
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.filesync.v1.BytesMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BytesMessage to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BytesMessage {

                /** Properties of a BytesMessage. */
                interface $Properties {

                    /** BytesMessage data */
                    data?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BytesMessage. */
                type $Shape = moby.filesync.v1.BytesMessage.$Properties;
            }
        }
    }

    /** Namespace sshforward. */
    namespace sshforward {

        /** Namespace v1. */
        namespace v1 {

            /**
             * Properties of a BytesMessage.
             * @deprecated Use moby.sshforward.v1.BytesMessage.$Properties instead.
             */
            interface IBytesMessage extends moby.sshforward.v1.BytesMessage.$Properties {
            }

            /** Represents a BytesMessage. */
            class BytesMessage {

                /**
                 * Constructs a new BytesMessage.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.sshforward.v1.BytesMessage.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** BytesMessage data. */
                data: Uint8Array;

                /**
                 * Creates a new BytesMessage instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns BytesMessage instance
                 */
                static create(properties: moby.sshforward.v1.BytesMessage.$Shape): moby.sshforward.v1.BytesMessage & moby.sshforward.v1.BytesMessage.$Shape;
                static create(properties?: moby.sshforward.v1.BytesMessage.$Properties): moby.sshforward.v1.BytesMessage;

                /**
                 * Encodes the specified BytesMessage message. Does not implicitly {@link moby.sshforward.v1.BytesMessage.verify|verify} messages.
                 * @param message BytesMessage message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.sshforward.v1.BytesMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a BytesMessage message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.sshforward.v1.BytesMessage & moby.sshforward.v1.BytesMessage.$Shape} BytesMessage
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.sshforward.v1.BytesMessage & moby.sshforward.v1.BytesMessage.$Shape;

                /**
                 * Creates a BytesMessage message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns BytesMessage
                 */
                static fromObject(object: object): moby.sshforward.v1.BytesMessage;

                /**
                 * Creates a plain object from a BytesMessage message. Also converts values to other types if specified.
                 * @param message BytesMessage
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.sshforward.v1.BytesMessage, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this BytesMessage to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace BytesMessage {

                /** Properties of a BytesMessage. */
                interface $Properties {

                    /** BytesMessage data */
                    data?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a BytesMessage. */
                type $Shape = moby.sshforward.v1.BytesMessage.$Properties;
            }

            /**
             * Properties of a CheckAgentRequest.
             * @deprecated Use moby.sshforward.v1.CheckAgentRequest.$Properties instead.
             */
            interface ICheckAgentRequest extends moby.sshforward.v1.CheckAgentRequest.$Properties {
            }

            /** Represents a CheckAgentRequest. */
            class CheckAgentRequest {

                /**
                 * Constructs a new CheckAgentRequest.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.sshforward.v1.CheckAgentRequest.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** CheckAgentRequest ID. */
                ID: string;

                /**
                 * Creates a new CheckAgentRequest instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CheckAgentRequest instance
                 */
                static create(properties: moby.sshforward.v1.CheckAgentRequest.$Shape): moby.sshforward.v1.CheckAgentRequest & moby.sshforward.v1.CheckAgentRequest.$Shape;
                static create(properties?: moby.sshforward.v1.CheckAgentRequest.$Properties): moby.sshforward.v1.CheckAgentRequest;

                /**
                 * Encodes the specified CheckAgentRequest message. Does not implicitly {@link moby.sshforward.v1.CheckAgentRequest.verify|verify} messages.
                 * @param message CheckAgentRequest message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.sshforward.v1.CheckAgentRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CheckAgentRequest message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.sshforward.v1.CheckAgentRequest & moby.sshforward.v1.CheckAgentRequest.$Shape} CheckAgentRequest
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.sshforward.v1.CheckAgentRequest & moby.sshforward.v1.CheckAgentRequest.$Shape;

                /**
                 * Creates a CheckAgentRequest message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CheckAgentRequest
                 */
                static fromObject(object: object): moby.sshforward.v1.CheckAgentRequest;

                /**
                 * Creates a plain object from a CheckAgentRequest message. Also converts values to other types if specified.
                 * @param message CheckAgentRequest
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.sshforward.v1.CheckAgentRequest, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this CheckAgentRequest to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace CheckAgentRequest {

                /** Properties of a CheckAgentRequest. */
                interface $Properties {

                    /** CheckAgentRequest ID */
                    ID?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CheckAgentRequest. */
                type $Shape = moby.sshforward.v1.CheckAgentRequest.$Properties;
            }

            /**
             * Properties of a CheckAgentResponse.
             * @deprecated Use moby.sshforward.v1.CheckAgentResponse.$Properties instead.
             */
            interface ICheckAgentResponse extends moby.sshforward.v1.CheckAgentResponse.$Properties {
            }

            /** Represents a CheckAgentResponse. */
            class CheckAgentResponse {

                /**
                 * Constructs a new CheckAgentResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: moby.sshforward.v1.CheckAgentResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /**
                 * Creates a new CheckAgentResponse instance using the specified properties.
                 * @param [properties] Properties to set
                 * @returns CheckAgentResponse instance
                 */
                static create(properties: moby.sshforward.v1.CheckAgentResponse.$Shape): moby.sshforward.v1.CheckAgentResponse & moby.sshforward.v1.CheckAgentResponse.$Shape;
                static create(properties?: moby.sshforward.v1.CheckAgentResponse.$Properties): moby.sshforward.v1.CheckAgentResponse;

                /**
                 * Encodes the specified CheckAgentResponse message. Does not implicitly {@link moby.sshforward.v1.CheckAgentResponse.verify|verify} messages.
                 * @param message CheckAgentResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: moby.sshforward.v1.CheckAgentResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a CheckAgentResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {moby.sshforward.v1.CheckAgentResponse & moby.sshforward.v1.CheckAgentResponse.$Shape} CheckAgentResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): moby.sshforward.v1.CheckAgentResponse & moby.sshforward.v1.CheckAgentResponse.$Shape;

                /**
                 * Creates a CheckAgentResponse message from a plain object. Also converts values to their respective internal types.
                 * @param object Plain object
                 * @returns CheckAgentResponse
                 */
                static fromObject(object: object): moby.sshforward.v1.CheckAgentResponse;

                /**
                 * Creates a plain object from a CheckAgentResponse message. Also converts values to other types if specified.
                 * @param message CheckAgentResponse
                 * @param [options] Conversion options
                 * @returns Plain object
                 */
                static toObject(message: moby.sshforward.v1.CheckAgentResponse, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

                /**
                 * Converts this CheckAgentResponse to JSON.
                 * @returns JSON object
                 */
                toJSON(): { [k: string]: unknown };
            }

            namespace CheckAgentResponse {

                /** Properties of a CheckAgentResponse. */
                interface $Properties {

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a CheckAgentResponse. */
                type $Shape = moby.sshforward.v1.CheckAgentResponse.$Properties;
            }
        }
    }
}

/** Namespace pb. */
export namespace pb {

    /**
     * Properties of an Op.
     * @deprecated Use pb.Op.$Properties instead.
     */
    interface IOp extends pb.Op.$Properties {
    }

    /** One vertex of the build graph. */
    class Op {

        /**
         * Constructs a new Op.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Op.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Op inputs. */
        inputs: pb.Input.$Properties[];

        /** Op exec. */
        exec?: (pb.ExecOp.$Properties|null);

        /** Op source. */
        source?: (pb.SourceOp.$Properties|null);

        /** Op file. */
        file?: (pb.FileOp.$Properties|null);

        /** Op build. */
        build?: (pb.BuildOp.$Properties|null);

        /** v0.10+ */
        merge?: (pb.MergeOp.$Properties|null);

        /** v0.10+ */
        diff?: (pb.DiffOp.$Properties|null);

        /** Op platform. */
        platform?: (pb.Platform.$Properties|null);

        /** Op constraints. */
        constraints?: (pb.WorkerConstraints.$Properties|null);

        /** Op op. */
        op?: ("exec"|"source"|"file"|"build"|"merge"|"diff");

        /**
         * Creates a new Op instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Op instance
         */
        static create(properties: pb.Op.$Shape): pb.Op & pb.Op.$Shape;
        static create(properties?: pb.Op.$Properties): pb.Op;

        /**
         * Encodes the specified Op message. Does not implicitly {@link pb.Op.verify|verify} messages.
         * @param message Op message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Op.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Op message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Op & pb.Op.$Shape} Op
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Op & pb.Op.$Shape;

        /**
         * Creates an Op message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Op
         */
        static fromObject(object: object): pb.Op;

        /**
         * Creates a plain object from an Op message. Also converts values to other types if specified.
         * @param message Op
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Op, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Op to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Op {

        /** Properties of an Op. */
        interface $Properties {

            /** Op inputs */
            inputs?: (pb.Input.$Properties[]|null);

            /** Op exec */
            exec?: (pb.ExecOp.$Properties|null);

            /** Op source */
            source?: (pb.SourceOp.$Properties|null);

            /** Op file */
            file?: (pb.FileOp.$Properties|null);

            /** Op build */
            build?: (pb.BuildOp.$Properties|null);

            /** v0.10+ */
            merge?: (pb.MergeOp.$Properties|null);

            /** v0.10+ */
            diff?: (pb.DiffOp.$Properties|null);

            /** Op platform */
            platform?: (pb.Platform.$Properties|null);

            /** Op constraints */
            constraints?: (pb.WorkerConstraints.$Properties|null);

            /** Op op */
            op?: ("exec"|"source"|"file"|"build"|"merge"|"diff");

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Narrowed shape of an Op. */
        type $Shape = {
          inputs?: pb.Input.$Shape[]|null;
          exec?: pb.ExecOp.$Shape|null;
          source?: pb.SourceOp.$Shape|null;
          file?: pb.FileOp.$Shape|null;
          build?: pb.BuildOp.$Shape|null;
          merge?: pb.MergeOp.$Shape|null;
          diff?: pb.DiffOp.$Shape|null;
          platform?: pb.Platform.$Shape|null;
          constraints?: pb.WorkerConstraints.$Shape|null;
          $unknowns?: Uint8Array[];
        } & (
          ({ op?: undefined; exec?: null; source?: null; file?: null; build?: null; merge?: null; diff?: null }|{ op?: "exec"; exec: pb.ExecOp.$Shape; source?: null; file?: null; build?: null; merge?: null; diff?: null }|{ op?: "source"; exec?: null; source: pb.SourceOp.$Shape; file?: null; build?: null; merge?: null; diff?: null }|{ op?: "file"; exec?: null; source?: null; file: pb.FileOp.$Shape; build?: null; merge?: null; diff?: null }|{ op?: "build"; exec?: null; source?: null; file?: null; build: pb.BuildOp.$Shape; merge?: null; diff?: null }|{ op?: "merge"; exec?: null; source?: null; file?: null; build?: null; merge: pb.MergeOp.$Shape; diff?: null }|{ op?: "diff"; exec?: null; source?: null; file?: null; build?: null; merge?: null; diff: pb.DiffOp.$Shape })
        );
    }

    /**
     * Properties of a Platform.
     * @deprecated Use pb.Platform.$Properties instead.
     */
    interface IPlatform extends pb.Platform.$Properties {
    }

    /** OCI platform triple (+ Windows extras that BuildKit ignores). */
    class Platform {

        /**
         * Constructs a new Platform.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Platform.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Platform Architecture. */
        Architecture: string;

        /** Platform OS. */
        OS: string;

        /** Platform Variant. */
        Variant: string;

        /** Platform OSVersion. */
        OSVersion: string;

        /** Platform OSFeatures. */
        OSFeatures: string[];

        /**
         * Creates a new Platform instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Platform instance
         */
        static create(properties: pb.Platform.$Shape): pb.Platform & pb.Platform.$Shape;
        static create(properties?: pb.Platform.$Properties): pb.Platform;

        /**
         * Encodes the specified Platform message. Does not implicitly {@link pb.Platform.verify|verify} messages.
         * @param message Platform message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Platform.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Platform message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Platform & pb.Platform.$Shape} Platform
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Platform & pb.Platform.$Shape;

        /**
         * Creates a Platform message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Platform
         */
        static fromObject(object: object): pb.Platform;

        /**
         * Creates a plain object from a Platform message. Also converts values to other types if specified.
         * @param message Platform
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Platform, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Platform to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Platform {

        /** Properties of a Platform. */
        interface $Properties {

            /** Platform Architecture */
            Architecture?: (string|null);

            /** Platform OS */
            OS?: (string|null);

            /** Platform Variant */
            Variant?: (string|null);

            /** Platform OSVersion */
            OSVersion?: (string|null);

            /** Platform OSFeatures */
            OSFeatures?: (string[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Platform. */
        type $Shape = pb.Platform.$Properties;
    }

    /**
     * Properties of an Input.
     * @deprecated Use pb.Input.$Properties instead.
     */
    interface IInput extends pb.Input.$Properties {
    }

    /** Edge: output `index` of the op whose bytes hash to `digest`. */
    class Input {

        /**
         * Constructs a new Input.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Input.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Input digest. */
        digest: string;

        /** Input index. */
        index: number;

        /**
         * Creates a new Input instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Input instance
         */
        static create(properties: pb.Input.$Shape): pb.Input & pb.Input.$Shape;
        static create(properties?: pb.Input.$Properties): pb.Input;

        /**
         * Encodes the specified Input message. Does not implicitly {@link pb.Input.verify|verify} messages.
         * @param message Input message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Input.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Input message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Input & pb.Input.$Shape} Input
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Input & pb.Input.$Shape;

        /**
         * Creates an Input message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Input
         */
        static fromObject(object: object): pb.Input;

        /**
         * Creates a plain object from an Input message. Also converts values to other types if specified.
         * @param message Input
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Input, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Input to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Input {

        /** Properties of an Input. */
        interface $Properties {

            /** Input digest */
            digest?: (string|null);

            /** Input index */
            index?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an Input. */
        type $Shape = pb.Input.$Properties;
    }

    /**
     * Properties of an ExecOp.
     * @deprecated Use pb.ExecOp.$Properties instead.
     */
    interface IExecOp extends pb.ExecOp.$Properties {
    }

    /** Runs a process with a set of mounts. */
    class ExecOp {

        /**
         * Constructs a new ExecOp.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.ExecOp.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ExecOp meta. */
        meta?: (pb.Meta.$Properties|null);

        /** ExecOp mounts. */
        mounts: pb.Mount.$Properties[];

        /** ExecOp network. */
        network: pb.NetMode;

        /** ExecOp security. */
        security: pb.SecurityMode;

        /** v0.10+ */
        secretenv: pb.SecretEnv.$Properties[];

        /**
         * Creates a new ExecOp instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ExecOp instance
         */
        static create(properties: pb.ExecOp.$Shape): pb.ExecOp & pb.ExecOp.$Shape;
        static create(properties?: pb.ExecOp.$Properties): pb.ExecOp;

        /**
         * Encodes the specified ExecOp message. Does not implicitly {@link pb.ExecOp.verify|verify} messages.
         * @param message ExecOp message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.ExecOp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an ExecOp message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.ExecOp & pb.ExecOp.$Shape} ExecOp
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.ExecOp & pb.ExecOp.$Shape;

        /**
         * Creates an ExecOp message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ExecOp
         */
        static fromObject(object: object): pb.ExecOp;

        /**
         * Creates a plain object from an ExecOp message. Also converts values to other types if specified.
         * @param message ExecOp
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.ExecOp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this ExecOp to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace ExecOp {

        /** Properties of an ExecOp. */
        interface $Properties {

            /** ExecOp meta */
            meta?: (pb.Meta.$Properties|null);

            /** ExecOp mounts */
            mounts?: (pb.Mount.$Properties[]|null);

            /** ExecOp network */
            network?: (pb.NetMode|null);

            /** ExecOp security */
            security?: (pb.SecurityMode|null);

            /** v0.10+ */
            secretenv?: (pb.SecretEnv.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an ExecOp. */
        type $Shape = pb.ExecOp.$Properties;
    }

    /**
     * Properties of a Meta.
     * @deprecated Use pb.Meta.$Properties instead.
     */
    interface IMeta extends pb.Meta.$Properties {
    }

    /** Process description of an ExecOp. */
    class Meta {

        /**
         * Constructs a new Meta.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Meta.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Meta args. */
        args: string[];

        /** Meta env. */
        env: string[];

        /** Meta cwd. */
        cwd: string;

        /** Meta user. */
        user: string;

        /** Meta proxy_env. */
        proxy_env?: (pb.ProxyEnv.$Properties|null);

        /** Meta extraHosts. */
        extraHosts: pb.HostIP.$Properties[];

        /** Meta hostname. */
        hostname: string;

        /** v0.10+ */
        ulimit: pb.Ulimit.$Properties[];

        /** v0.10+ */
        cgroupParent: string;

        /** v0.11+ */
        removeMountStubsRecursive: boolean;

        /**
         * Creates a new Meta instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Meta instance
         */
        static create(properties: pb.Meta.$Shape): pb.Meta & pb.Meta.$Shape;
        static create(properties?: pb.Meta.$Properties): pb.Meta;

        /**
         * Encodes the specified Meta message. Does not implicitly {@link pb.Meta.verify|verify} messages.
         * @param message Meta message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Meta.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Meta message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Meta & pb.Meta.$Shape} Meta
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Meta & pb.Meta.$Shape;

        /**
         * Creates a Meta message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Meta
         */
        static fromObject(object: object): pb.Meta;

        /**
         * Creates a plain object from a Meta message. Also converts values to other types if specified.
         * @param message Meta
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Meta, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Meta to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Meta {

        /** Properties of a Meta. */
        interface $Properties {

            /** Meta args */
            args?: (string[]|null);

            /** Meta env */
            env?: (string[]|null);

            /** Meta cwd */
            cwd?: (string|null);

            /** Meta user */
            user?: (string|null);

            /** Meta proxy_env */
            proxy_env?: (pb.ProxyEnv.$Properties|null);

            /** Meta extraHosts */
            extraHosts?: (pb.HostIP.$Properties[]|null);

            /** Meta hostname */
            hostname?: (string|null);

            /** v0.10+ */
            ulimit?: (pb.Ulimit.$Properties[]|null);

            /** v0.10+ */
            cgroupParent?: (string|null);

            /** v0.11+ */
            removeMountStubsRecursive?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Meta. */
        type $Shape = pb.Meta.$Properties;
    }

    /**
     * Properties of a HostIP.
     * @deprecated Use pb.HostIP.$Properties instead.
     */
    interface IHostIP extends pb.HostIP.$Properties {
    }

    /** Extra /etc/hosts entry. */
    class HostIP {

        /**
         * Constructs a new HostIP.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.HostIP.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** HostIP Host. */
        Host: string;

        /** HostIP IP. */
        IP: string;

        /**
         * Creates a new HostIP instance using the specified properties.
         * @param [properties] Properties to set
         * @returns HostIP instance
         */
        static create(properties: pb.HostIP.$Shape): pb.HostIP & pb.HostIP.$Shape;
        static create(properties?: pb.HostIP.$Properties): pb.HostIP;

        /**
         * Encodes the specified HostIP message. Does not implicitly {@link pb.HostIP.verify|verify} messages.
         * @param message HostIP message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.HostIP.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a HostIP message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.HostIP & pb.HostIP.$Shape} HostIP
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.HostIP & pb.HostIP.$Shape;

        /**
         * Creates a HostIP message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns HostIP
         */
        static fromObject(object: object): pb.HostIP;

        /**
         * Creates a plain object from a HostIP message. Also converts values to other types if specified.
         * @param message HostIP
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.HostIP, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this HostIP to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace HostIP {

        /** Properties of a HostIP. */
        interface $Properties {

            /** HostIP Host */
            Host?: (string|null);

            /** HostIP IP */
            IP?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a HostIP. */
        type $Shape = pb.HostIP.$Properties;
    }

    /**
     * Properties of an Ulimit.
     * @deprecated Use pb.Ulimit.$Properties instead.
     */
    interface IUlimit extends pb.Ulimit.$Properties {
    }

    /** Resource limit for the process. */
    class Ulimit {

        /**
         * Constructs a new Ulimit.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Ulimit.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Ulimit Name. */
        Name: string;

        /** Ulimit Soft. */
        Soft: number;

        /** Ulimit Hard. */
        Hard: number;

        /**
         * Creates a new Ulimit instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Ulimit instance
         */
        static create(properties: pb.Ulimit.$Shape): pb.Ulimit & pb.Ulimit.$Shape;
        static create(properties?: pb.Ulimit.$Properties): pb.Ulimit;

        /**
         * Encodes the specified Ulimit message. Does not implicitly {@link pb.Ulimit.verify|verify} messages.
         * @param message Ulimit message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Ulimit.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Ulimit message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Ulimit & pb.Ulimit.$Shape} Ulimit
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Ulimit & pb.Ulimit.$Shape;

        /**
         * Creates an Ulimit message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Ulimit
         */
        static fromObject(object: object): pb.Ulimit;

        /**
         * Creates a plain object from an Ulimit message. Also converts values to other types if specified.
         * @param message Ulimit
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Ulimit, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Ulimit to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Ulimit {

        /** Properties of an Ulimit. */
        interface $Properties {

            /** Ulimit Name */
            Name?: (string|null);

            /** Ulimit Soft */
            Soft?: (number|null);

            /** Ulimit Hard */
            Hard?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an Ulimit. */
        type $Shape = pb.Ulimit.$Properties;
    }

    /** Network mode of an ExecOp. */
    enum NetMode {

        /** default sandbox network */
        UNSET = 0,

        /** needs the network.host entitlement */
        HOST = 1,

        /** NONE value */
        NONE = 2
    }

    /** Security mode of an ExecOp. */
    enum SecurityMode {

        /** SANDBOX value */
        SANDBOX = 0,

        /** needs the security.insecure entitlement */
        INSECURE = 1
    }

    /**
     * Properties of a SecretEnv.
     * @deprecated Use pb.SecretEnv.$Properties instead.
     */
    interface ISecretEnv extends pb.SecretEnv.$Properties {
    }

    /** Environment variable whose value comes from a session secret. */
    class SecretEnv {

        /**
         * Constructs a new SecretEnv.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.SecretEnv.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SecretEnv ID. */
        ID: string;

        /** SecretEnv name. */
        name: string;

        /** SecretEnv optional. */
        optional: boolean;

        /**
         * Creates a new SecretEnv instance using the specified properties.
         * @param [properties] Properties to set
         * @returns SecretEnv instance
         */
        static create(properties: pb.SecretEnv.$Shape): pb.SecretEnv & pb.SecretEnv.$Shape;
        static create(properties?: pb.SecretEnv.$Properties): pb.SecretEnv;

        /**
         * Encodes the specified SecretEnv message. Does not implicitly {@link pb.SecretEnv.verify|verify} messages.
         * @param message SecretEnv message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.SecretEnv.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SecretEnv message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.SecretEnv & pb.SecretEnv.$Shape} SecretEnv
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.SecretEnv & pb.SecretEnv.$Shape;

        /**
         * Creates a SecretEnv message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns SecretEnv
         */
        static fromObject(object: object): pb.SecretEnv;

        /**
         * Creates a plain object from a SecretEnv message. Also converts values to other types if specified.
         * @param message SecretEnv
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.SecretEnv, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this SecretEnv to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace SecretEnv {

        /** Properties of a SecretEnv. */
        interface $Properties {

            /** SecretEnv ID */
            ID?: (string|null);

            /** SecretEnv name */
            name?: (string|null);

            /** SecretEnv optional */
            optional?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SecretEnv. */
        type $Shape = pb.SecretEnv.$Properties;
    }

    /**
     * Properties of a Mount.
     * @deprecated Use pb.Mount.$Properties instead.
     */
    interface IMount extends pb.Mount.$Properties {
    }

    /** A filesystem mounted into the ExecOp's container. */
    class Mount {

        /**
         * Constructs a new Mount.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Mount.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** index into Op.inputs, -1 for none */
        input: number;

        /** Mount selector. */
        selector: string;

        /** Mount dest. */
        dest: string;

        /** -1 when the mount produces no result */
        output: number;

        /** Mount readonly. */
        readonly: boolean;

        /** Mount mountType. */
        mountType: pb.MountType;

        /** Mount TmpfsOpt. */
        TmpfsOpt?: (pb.TmpfsOpt.$Properties|null);

        /** Mount cacheOpt. */
        cacheOpt?: (pb.CacheOpt.$Properties|null);

        /** Mount secretOpt. */
        secretOpt?: (pb.SecretOpt.$Properties|null);

        /** Mount SSHOpt. */
        SSHOpt?: (pb.SSHOpt.$Properties|null);

        /** Mount resultID. */
        resultID: string;

        /**
         * Creates a new Mount instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Mount instance
         */
        static create(properties: pb.Mount.$Shape): pb.Mount & pb.Mount.$Shape;
        static create(properties?: pb.Mount.$Properties): pb.Mount;

        /**
         * Encodes the specified Mount message. Does not implicitly {@link pb.Mount.verify|verify} messages.
         * @param message Mount message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Mount.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Mount message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Mount & pb.Mount.$Shape} Mount
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Mount & pb.Mount.$Shape;

        /**
         * Creates a Mount message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Mount
         */
        static fromObject(object: object): pb.Mount;

        /**
         * Creates a plain object from a Mount message. Also converts values to other types if specified.
         * @param message Mount
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Mount, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Mount to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Mount {

        /** Properties of a Mount. */
        interface $Properties {

            /** index into Op.inputs, -1 for none */
            input?: (number|null);

            /** Mount selector */
            selector?: (string|null);

            /** Mount dest */
            dest?: (string|null);

            /** 1 when the mount produces no result */
            output?: (number|null);

            /** Mount readonly */
            readonly?: (boolean|null);

            /** Mount mountType */
            mountType?: (pb.MountType|null);

            /** Mount TmpfsOpt */
            TmpfsOpt?: (pb.TmpfsOpt.$Properties|null);

            /** Mount cacheOpt */
            cacheOpt?: (pb.CacheOpt.$Properties|null);

            /** Mount secretOpt */
            secretOpt?: (pb.SecretOpt.$Properties|null);

            /** Mount SSHOpt */
            SSHOpt?: (pb.SSHOpt.$Properties|null);

            /** Mount resultID */
            resultID?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Mount. */
        type $Shape = pb.Mount.$Properties;
    }

    /** Kind of mount. */
    enum MountType {

        /** BIND value */
        BIND = 0,

        /** SECRET value */
        SECRET = 1,

        /** SSH value */
        SSH = 2,

        /** CACHE value */
        CACHE = 3,

        /** TMPFS value */
        TMPFS = 4
    }

    /**
     * Properties of a TmpfsOpt.
     * @deprecated Use pb.TmpfsOpt.$Properties instead.
     */
    interface ITmpfsOpt extends pb.TmpfsOpt.$Properties {
    }

    /** Options of a tmpfs mount. */
    class TmpfsOpt {

        /**
         * Constructs a new TmpfsOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.TmpfsOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** bytes */
        size: number;

        /**
         * Creates a new TmpfsOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns TmpfsOpt instance
         */
        static create(properties: pb.TmpfsOpt.$Shape): pb.TmpfsOpt & pb.TmpfsOpt.$Shape;
        static create(properties?: pb.TmpfsOpt.$Properties): pb.TmpfsOpt;

        /**
         * Encodes the specified TmpfsOpt message. Does not implicitly {@link pb.TmpfsOpt.verify|verify} messages.
         * @param message TmpfsOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.TmpfsOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a TmpfsOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.TmpfsOpt & pb.TmpfsOpt.$Shape} TmpfsOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.TmpfsOpt & pb.TmpfsOpt.$Shape;

        /**
         * Creates a TmpfsOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns TmpfsOpt
         */
        static fromObject(object: object): pb.TmpfsOpt;

        /**
         * Creates a plain object from a TmpfsOpt message. Also converts values to other types if specified.
         * @param message TmpfsOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.TmpfsOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this TmpfsOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace TmpfsOpt {

        /** Properties of a TmpfsOpt. */
        interface $Properties {

            /** bytes */
            size?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a TmpfsOpt. */
        type $Shape = pb.TmpfsOpt.$Properties;
    }

    /**
     * Properties of a CacheOpt.
     * @deprecated Use pb.CacheOpt.$Properties instead.
     */
    interface ICacheOpt extends pb.CacheOpt.$Properties {
    }

    /** Options of a persistent cache mount. */
    class CacheOpt {

        /**
         * Constructs a new CacheOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.CacheOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** CacheOpt ID. */
        ID: string;

        /** CacheOpt sharing. */
        sharing: pb.CacheSharingOpt;

        /**
         * Creates a new CacheOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns CacheOpt instance
         */
        static create(properties: pb.CacheOpt.$Shape): pb.CacheOpt & pb.CacheOpt.$Shape;
        static create(properties?: pb.CacheOpt.$Properties): pb.CacheOpt;

        /**
         * Encodes the specified CacheOpt message. Does not implicitly {@link pb.CacheOpt.verify|verify} messages.
         * @param message CacheOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.CacheOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a CacheOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.CacheOpt & pb.CacheOpt.$Shape} CacheOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.CacheOpt & pb.CacheOpt.$Shape;

        /**
         * Creates a CacheOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns CacheOpt
         */
        static fromObject(object: object): pb.CacheOpt;

        /**
         * Creates a plain object from a CacheOpt message. Also converts values to other types if specified.
         * @param message CacheOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.CacheOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this CacheOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace CacheOpt {

        /** Properties of a CacheOpt. */
        interface $Properties {

            /** CacheOpt ID */
            ID?: (string|null);

            /** CacheOpt sharing */
            sharing?: (pb.CacheSharingOpt|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a CacheOpt. */
        type $Shape = pb.CacheOpt.$Properties;
    }

    /** How concurrent builds share a cache mount. */
    enum CacheSharingOpt {

        /** SHARED value */
        SHARED = 0,

        /** PRIVATE value */
        PRIVATE = 1,

        /** LOCKED value */
        LOCKED = 2
    }

    /**
     * Properties of a SecretOpt.
     * @deprecated Use pb.SecretOpt.$Properties instead.
     */
    interface ISecretOpt extends pb.SecretOpt.$Properties {
    }

    /** Options of a secret file mount. */
    class SecretOpt {

        /**
         * Constructs a new SecretOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.SecretOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SecretOpt ID. */
        ID: string;

        /** SecretOpt uid. */
        uid: number;

        /** SecretOpt gid. */
        gid: number;

        /** SecretOpt mode. */
        mode: number;

        /** SecretOpt optional. */
        optional: boolean;

        /**
         * Creates a new SecretOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns SecretOpt instance
         */
        static create(properties: pb.SecretOpt.$Shape): pb.SecretOpt & pb.SecretOpt.$Shape;
        static create(properties?: pb.SecretOpt.$Properties): pb.SecretOpt;

        /**
         * Encodes the specified SecretOpt message. Does not implicitly {@link pb.SecretOpt.verify|verify} messages.
         * @param message SecretOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.SecretOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SecretOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.SecretOpt & pb.SecretOpt.$Shape} SecretOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.SecretOpt & pb.SecretOpt.$Shape;

        /**
         * Creates a SecretOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns SecretOpt
         */
        static fromObject(object: object): pb.SecretOpt;

        /**
         * Creates a plain object from a SecretOpt message. Also converts values to other types if specified.
         * @param message SecretOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.SecretOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this SecretOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace SecretOpt {

        /** Properties of a SecretOpt. */
        interface $Properties {

            /** SecretOpt ID */
            ID?: (string|null);

            /** SecretOpt uid */
            uid?: (number|null);

            /** SecretOpt gid */
            gid?: (number|null);

            /** SecretOpt mode */
            mode?: (number|null);

            /** SecretOpt optional */
            optional?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SecretOpt. */
        type $Shape = pb.SecretOpt.$Properties;
    }

    /**
     * Properties of a SSHOpt.
     * @deprecated Use pb.SSHOpt.$Properties instead.
     */
    interface ISSHOpt extends pb.SSHOpt.$Properties {
    }

    /** Options of an ssh-agent socket mount. */
    class SSHOpt {

        /**
         * Constructs a new SSHOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.SSHOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SSHOpt ID. */
        ID: string;

        /** SSHOpt uid. */
        uid: number;

        /** SSHOpt gid. */
        gid: number;

        /** SSHOpt mode. */
        mode: number;

        /** SSHOpt optional. */
        optional: boolean;

        /**
         * Creates a new SSHOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns SSHOpt instance
         */
        static create(properties: pb.SSHOpt.$Shape): pb.SSHOpt & pb.SSHOpt.$Shape;
        static create(properties?: pb.SSHOpt.$Properties): pb.SSHOpt;

        /**
         * Encodes the specified SSHOpt message. Does not implicitly {@link pb.SSHOpt.verify|verify} messages.
         * @param message SSHOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.SSHOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SSHOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.SSHOpt & pb.SSHOpt.$Shape} SSHOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.SSHOpt & pb.SSHOpt.$Shape;

        /**
         * Creates a SSHOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns SSHOpt
         */
        static fromObject(object: object): pb.SSHOpt;

        /**
         * Creates a plain object from a SSHOpt message. Also converts values to other types if specified.
         * @param message SSHOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.SSHOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this SSHOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace SSHOpt {

        /** Properties of a SSHOpt. */
        interface $Properties {

            /** SSHOpt ID */
            ID?: (string|null);

            /** SSHOpt uid */
            uid?: (number|null);

            /** SSHOpt gid */
            gid?: (number|null);

            /** SSHOpt mode */
            mode?: (number|null);

            /** SSHOpt optional */
            optional?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SSHOpt. */
        type $Shape = pb.SSHOpt.$Properties;
    }

    /**
     * Properties of a SourceOp.
     * @deprecated Use pb.SourceOp.$Properties instead.
     */
    interface ISourceOp extends pb.SourceOp.$Properties {
    }

    /** Brings content into the graph (image, local dir, git, http, oci-layout). */
    class SourceOp {

        /**
         * Constructs a new SourceOp.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.SourceOp.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SourceOp identifier. */
        identifier: string;

        /** SourceOp attrs. */
        attrs: { [k: string]: string };

        /**
         * Creates a new SourceOp instance using the specified properties.
         * @param [properties] Properties to set
         * @returns SourceOp instance
         */
        static create(properties: pb.SourceOp.$Shape): pb.SourceOp & pb.SourceOp.$Shape;
        static create(properties?: pb.SourceOp.$Properties): pb.SourceOp;

        /**
         * Encodes the specified SourceOp message. Does not implicitly {@link pb.SourceOp.verify|verify} messages.
         * @param message SourceOp message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.SourceOp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SourceOp message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.SourceOp & pb.SourceOp.$Shape} SourceOp
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.SourceOp & pb.SourceOp.$Shape;

        /**
         * Creates a SourceOp message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns SourceOp
         */
        static fromObject(object: object): pb.SourceOp;

        /**
         * Creates a plain object from a SourceOp message. Also converts values to other types if specified.
         * @param message SourceOp
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.SourceOp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this SourceOp to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace SourceOp {

        /** Properties of a SourceOp. */
        interface $Properties {

            /** SourceOp identifier */
            identifier?: (string|null);

            /** SourceOp attrs */
            attrs?: ({ [k: string]: string }|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SourceOp. */
        type $Shape = pb.SourceOp.$Properties;
    }

    /**
     * Properties of a BuildOp.
     * @deprecated Use pb.BuildOp.$Properties instead.
     */
    interface IBuildOp extends pb.BuildOp.$Properties {
    }

    /** Nested build (experimental in BuildKit). */
    class BuildOp {

        /**
         * Constructs a new BuildOp.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.BuildOp.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** BuildOp builder. */
        builder: number;

        /** BuildOp inputs. */
        inputs: { [k: string]: pb.BuildInput.$Properties };

        /** BuildOp def. */
        def?: (pb.Definition.$Properties|null);

        /** BuildOp attrs. */
        attrs: { [k: string]: string };

        /**
         * Creates a new BuildOp instance using the specified properties.
         * @param [properties] Properties to set
         * @returns BuildOp instance
         */
        static create(properties: pb.BuildOp.$Shape): pb.BuildOp & pb.BuildOp.$Shape;
        static create(properties?: pb.BuildOp.$Properties): pb.BuildOp;

        /**
         * Encodes the specified BuildOp message. Does not implicitly {@link pb.BuildOp.verify|verify} messages.
         * @param message BuildOp message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.BuildOp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a BuildOp message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.BuildOp & pb.BuildOp.$Shape} BuildOp
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.BuildOp & pb.BuildOp.$Shape;

        /**
         * Creates a BuildOp message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns BuildOp
         */
        static fromObject(object: object): pb.BuildOp;

        /**
         * Creates a plain object from a BuildOp message. Also converts values to other types if specified.
         * @param message BuildOp
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.BuildOp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this BuildOp to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace BuildOp {

        /** Properties of a BuildOp. */
        interface $Properties {

            /** BuildOp builder */
            builder?: (number|null);

            /** BuildOp inputs */
            inputs?: ({ [k: string]: pb.BuildInput.$Properties }|null);

            /** BuildOp def */
            def?: (pb.Definition.$Properties|null);

            /** BuildOp attrs */
            attrs?: ({ [k: string]: string }|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a BuildOp. */
        type $Shape = pb.BuildOp.$Properties;
    }

    /**
     * Properties of a BuildInput.
     * @deprecated Use pb.BuildInput.$Properties instead.
     */
    interface IBuildInput extends pb.BuildInput.$Properties {
    }

    /** Input reference of a BuildOp. */
    class BuildInput {

        /**
         * Constructs a new BuildInput.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.BuildInput.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** BuildInput input. */
        input: number;

        /**
         * Creates a new BuildInput instance using the specified properties.
         * @param [properties] Properties to set
         * @returns BuildInput instance
         */
        static create(properties: pb.BuildInput.$Shape): pb.BuildInput & pb.BuildInput.$Shape;
        static create(properties?: pb.BuildInput.$Properties): pb.BuildInput;

        /**
         * Encodes the specified BuildInput message. Does not implicitly {@link pb.BuildInput.verify|verify} messages.
         * @param message BuildInput message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.BuildInput.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a BuildInput message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.BuildInput & pb.BuildInput.$Shape} BuildInput
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.BuildInput & pb.BuildInput.$Shape;

        /**
         * Creates a BuildInput message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns BuildInput
         */
        static fromObject(object: object): pb.BuildInput;

        /**
         * Creates a plain object from a BuildInput message. Also converts values to other types if specified.
         * @param message BuildInput
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.BuildInput, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this BuildInput to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace BuildInput {

        /** Properties of a BuildInput. */
        interface $Properties {

            /** BuildInput input */
            input?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a BuildInput. */
        type $Shape = pb.BuildInput.$Properties;
    }

    /**
     * Properties of an OpMetadata.
     * @deprecated Use pb.OpMetadata.$Properties instead.
     */
    interface IOpMetadata extends pb.OpMetadata.$Properties {
    }

    /** Per-vertex settings that are not part of the op bytes. */
    class OpMetadata {

        /**
         * Constructs a new OpMetadata.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.OpMetadata.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** OpMetadata ignore_cache. */
        ignore_cache: boolean;

        /** OpMetadata description. */
        description: { [k: string]: string };

        /** OpMetadata export_cache. */
        export_cache?: (pb.ExportCache.$Properties|null);

        /** OpMetadata caps. */
        caps: { [k: string]: boolean };

        /** v0.10+ */
        progress_group?: (pb.ProgressGroup.$Properties|null);

        /**
         * Creates a new OpMetadata instance using the specified properties.
         * @param [properties] Properties to set
         * @returns OpMetadata instance
         */
        static create(properties: pb.OpMetadata.$Shape): pb.OpMetadata & pb.OpMetadata.$Shape;
        static create(properties?: pb.OpMetadata.$Properties): pb.OpMetadata;

        /**
         * Encodes the specified OpMetadata message. Does not implicitly {@link pb.OpMetadata.verify|verify} messages.
         * @param message OpMetadata message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.OpMetadata.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an OpMetadata message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.OpMetadata & pb.OpMetadata.$Shape} OpMetadata
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.OpMetadata & pb.OpMetadata.$Shape;

        /**
         * Creates an OpMetadata message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns OpMetadata
         */
        static fromObject(object: object): pb.OpMetadata;

        /**
         * Creates a plain object from an OpMetadata message. Also converts values to other types if specified.
         * @param message OpMetadata
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.OpMetadata, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this OpMetadata to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace OpMetadata {

        /** Properties of an OpMetadata. */
        interface $Properties {

            /** OpMetadata ignore_cache */
            ignore_cache?: (boolean|null);

            /** OpMetadata description */
            description?: ({ [k: string]: string }|null);

            /** OpMetadata export_cache */
            export_cache?: (pb.ExportCache.$Properties|null);

            /** OpMetadata caps */
            caps?: ({ [k: string]: boolean }|null);

            /** v0.10+ */
            progress_group?: (pb.ProgressGroup.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an OpMetadata. */
        type $Shape = pb.OpMetadata.$Properties;
    }

    /**
     * Properties of a Source.
     * @deprecated Use pb.Source.$Properties instead.
     */
    interface ISource extends pb.Source.$Properties {
    }

    /** Source map attached to a Definition. */
    class Source {

        /**
         * Constructs a new Source.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Source.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Source locations. */
        locations: { [k: string]: pb.Locations.$Properties };

        /** Source infos. */
        infos: pb.SourceInfo.$Properties[];

        /**
         * Creates a new Source instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Source instance
         */
        static create(properties: pb.Source.$Shape): pb.Source & pb.Source.$Shape;
        static create(properties?: pb.Source.$Properties): pb.Source;

        /**
         * Encodes the specified Source message. Does not implicitly {@link pb.Source.verify|verify} messages.
         * @param message Source message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Source.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Source message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Source & pb.Source.$Shape} Source
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Source & pb.Source.$Shape;

        /**
         * Creates a Source message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Source
         */
        static fromObject(object: object): pb.Source;

        /**
         * Creates a plain object from a Source message. Also converts values to other types if specified.
         * @param message Source
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Source, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Source to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Source {

        /** Properties of a Source. */
        interface $Properties {

            /** Source locations */
            locations?: ({ [k: string]: pb.Locations.$Properties }|null);

            /** Source infos */
            infos?: (pb.SourceInfo.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Source. */
        type $Shape = pb.Source.$Properties;
    }

    /**
     * Properties of a Locations.
     * @deprecated Use pb.Locations.$Properties instead.
     */
    interface ILocations extends pb.Locations.$Properties {
    }

    /** The source locations of one vertex. */
    class Locations {

        /**
         * Constructs a new Locations.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Locations.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Locations locations. */
        locations: pb.Location.$Properties[];

        /**
         * Creates a new Locations instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Locations instance
         */
        static create(properties: pb.Locations.$Shape): pb.Locations & pb.Locations.$Shape;
        static create(properties?: pb.Locations.$Properties): pb.Locations;

        /**
         * Encodes the specified Locations message. Does not implicitly {@link pb.Locations.verify|verify} messages.
         * @param message Locations message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Locations.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Locations message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Locations & pb.Locations.$Shape} Locations
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Locations & pb.Locations.$Shape;

        /**
         * Creates a Locations message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Locations
         */
        static fromObject(object: object): pb.Locations;

        /**
         * Creates a plain object from a Locations message. Also converts values to other types if specified.
         * @param message Locations
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Locations, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Locations to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Locations {

        /** Properties of a Locations. */
        interface $Properties {

            /** Locations locations */
            locations?: (pb.Location.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Locations. */
        type $Shape = pb.Locations.$Properties;
    }

    /**
     * Properties of a SourceInfo.
     * @deprecated Use pb.SourceInfo.$Properties instead.
     */
    interface ISourceInfo extends pb.SourceInfo.$Properties {
    }

    /** A source file referenced by Locations. */
    class SourceInfo {

        /**
         * Constructs a new SourceInfo.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.SourceInfo.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** SourceInfo filename. */
        filename: string;

        /** SourceInfo data. */
        data: Uint8Array;

        /** SourceInfo definition. */
        definition?: (pb.Definition.$Properties|null);

        /**
         * Creates a new SourceInfo instance using the specified properties.
         * @param [properties] Properties to set
         * @returns SourceInfo instance
         */
        static create(properties: pb.SourceInfo.$Shape): pb.SourceInfo & pb.SourceInfo.$Shape;
        static create(properties?: pb.SourceInfo.$Properties): pb.SourceInfo;

        /**
         * Encodes the specified SourceInfo message. Does not implicitly {@link pb.SourceInfo.verify|verify} messages.
         * @param message SourceInfo message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.SourceInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SourceInfo message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.SourceInfo & pb.SourceInfo.$Shape} SourceInfo
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.SourceInfo & pb.SourceInfo.$Shape;

        /**
         * Creates a SourceInfo message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns SourceInfo
         */
        static fromObject(object: object): pb.SourceInfo;

        /**
         * Creates a plain object from a SourceInfo message. Also converts values to other types if specified.
         * @param message SourceInfo
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.SourceInfo, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this SourceInfo to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace SourceInfo {

        /** Properties of a SourceInfo. */
        interface $Properties {

            /** SourceInfo filename */
            filename?: (string|null);

            /** SourceInfo data */
            data?: (Uint8Array|null);

            /** SourceInfo definition */
            definition?: (pb.Definition.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a SourceInfo. */
        type $Shape = pb.SourceInfo.$Properties;
    }

    /**
     * Properties of a Location.
     * @deprecated Use pb.Location.$Properties instead.
     */
    interface ILocation extends pb.Location.$Properties {
    }

    /** Ranges inside the source file at `sourceIndex` of Source.infos. */
    class Location {

        /**
         * Constructs a new Location.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Location.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Location sourceIndex. */
        sourceIndex: number;

        /** Location ranges. */
        ranges: pb.Range.$Properties[];

        /**
         * Creates a new Location instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Location instance
         */
        static create(properties: pb.Location.$Shape): pb.Location & pb.Location.$Shape;
        static create(properties?: pb.Location.$Properties): pb.Location;

        /**
         * Encodes the specified Location message. Does not implicitly {@link pb.Location.verify|verify} messages.
         * @param message Location message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Location.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Location message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Location & pb.Location.$Shape} Location
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Location & pb.Location.$Shape;

        /**
         * Creates a Location message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Location
         */
        static fromObject(object: object): pb.Location;

        /**
         * Creates a plain object from a Location message. Also converts values to other types if specified.
         * @param message Location
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Location, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Location to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Location {

        /** Properties of a Location. */
        interface $Properties {

            /** Location sourceIndex */
            sourceIndex?: (number|null);

            /** Location ranges */
            ranges?: (pb.Range.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Location. */
        type $Shape = pb.Location.$Properties;
    }

    /**
     * Properties of a Range.
     * @deprecated Use pb.Range.$Properties instead.
     */
    interface IRange extends pb.Range.$Properties {
    }

    /** Span in a source file. */
    class Range {

        /**
         * Constructs a new Range.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Range.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Range start. */
        start?: (pb.Position.$Properties|null);

        /** Range end. */
        end?: (pb.Position.$Properties|null);

        /**
         * Creates a new Range instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Range instance
         */
        static create(properties: pb.Range.$Shape): pb.Range & pb.Range.$Shape;
        static create(properties?: pb.Range.$Properties): pb.Range;

        /**
         * Encodes the specified Range message. Does not implicitly {@link pb.Range.verify|verify} messages.
         * @param message Range message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Range.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Range message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Range & pb.Range.$Shape} Range
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Range & pb.Range.$Shape;

        /**
         * Creates a Range message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Range
         */
        static fromObject(object: object): pb.Range;

        /**
         * Creates a plain object from a Range message. Also converts values to other types if specified.
         * @param message Range
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Range, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Range to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Range {

        /** Properties of a Range. */
        interface $Properties {

            /** Range start */
            start?: (pb.Position.$Properties|null);

            /** Range end */
            end?: (pb.Position.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Range. */
        type $Shape = pb.Range.$Properties;
    }

    /**
     * Properties of a Position.
     * @deprecated Use pb.Position.$Properties instead.
     */
    interface IPosition extends pb.Position.$Properties {
    }

    /** Point in a source file. */
    class Position {

        /**
         * Constructs a new Position.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Position.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Position line. */
        line: number;

        /** Position character. */
        character: number;

        /**
         * Creates a new Position instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Position instance
         */
        static create(properties: pb.Position.$Shape): pb.Position & pb.Position.$Shape;
        static create(properties?: pb.Position.$Properties): pb.Position;

        /**
         * Encodes the specified Position message. Does not implicitly {@link pb.Position.verify|verify} messages.
         * @param message Position message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Position.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Position message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Position & pb.Position.$Shape} Position
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Position & pb.Position.$Shape;

        /**
         * Creates a Position message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Position
         */
        static fromObject(object: object): pb.Position;

        /**
         * Creates a plain object from a Position message. Also converts values to other types if specified.
         * @param message Position
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Position, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Position to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Position {

        /** Properties of a Position. */
        interface $Properties {

            /** Position line */
            line?: (number|null);

            /** Position character */
            character?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Position. */
        type $Shape = pb.Position.$Properties;
    }

    /**
     * Properties of an ExportCache.
     * @deprecated Use pb.ExportCache.$Properties instead.
     */
    interface IExportCache extends pb.ExportCache.$Properties {
    }

    /** Whether to export the cache of a vertex. */
    class ExportCache {

        /**
         * Constructs a new ExportCache.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.ExportCache.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ExportCache Value. */
        Value: boolean;

        /**
         * Creates a new ExportCache instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ExportCache instance
         */
        static create(properties: pb.ExportCache.$Shape): pb.ExportCache & pb.ExportCache.$Shape;
        static create(properties?: pb.ExportCache.$Properties): pb.ExportCache;

        /**
         * Encodes the specified ExportCache message. Does not implicitly {@link pb.ExportCache.verify|verify} messages.
         * @param message ExportCache message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.ExportCache.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an ExportCache message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.ExportCache & pb.ExportCache.$Shape} ExportCache
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.ExportCache & pb.ExportCache.$Shape;

        /**
         * Creates an ExportCache message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ExportCache
         */
        static fromObject(object: object): pb.ExportCache;

        /**
         * Creates a plain object from an ExportCache message. Also converts values to other types if specified.
         * @param message ExportCache
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.ExportCache, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this ExportCache to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace ExportCache {

        /** Properties of an ExportCache. */
        interface $Properties {

            /** ExportCache Value */
            Value?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an ExportCache. */
        type $Shape = pb.ExportCache.$Properties;
    }

    /**
     * Properties of a ProgressGroup.
     * @deprecated Use pb.ProgressGroup.$Properties instead.
     */
    interface IProgressGroup extends pb.ProgressGroup.$Properties {
    }

    /** Groups vertexes in progress output. */
    class ProgressGroup {

        /**
         * Constructs a new ProgressGroup.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.ProgressGroup.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ProgressGroup id. */
        id: string;

        /** ProgressGroup name. */
        name: string;

        /** ProgressGroup weak. */
        weak: boolean;

        /**
         * Creates a new ProgressGroup instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ProgressGroup instance
         */
        static create(properties: pb.ProgressGroup.$Shape): pb.ProgressGroup & pb.ProgressGroup.$Shape;
        static create(properties?: pb.ProgressGroup.$Properties): pb.ProgressGroup;

        /**
         * Encodes the specified ProgressGroup message. Does not implicitly {@link pb.ProgressGroup.verify|verify} messages.
         * @param message ProgressGroup message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.ProgressGroup.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a ProgressGroup message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.ProgressGroup & pb.ProgressGroup.$Shape} ProgressGroup
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.ProgressGroup & pb.ProgressGroup.$Shape;

        /**
         * Creates a ProgressGroup message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ProgressGroup
         */
        static fromObject(object: object): pb.ProgressGroup;

        /**
         * Creates a plain object from a ProgressGroup message. Also converts values to other types if specified.
         * @param message ProgressGroup
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.ProgressGroup, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this ProgressGroup to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace ProgressGroup {

        /** Properties of a ProgressGroup. */
        interface $Properties {

            /** ProgressGroup id */
            id?: (string|null);

            /** ProgressGroup name */
            name?: (string|null);

            /** ProgressGroup weak */
            weak?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a ProgressGroup. */
        type $Shape = pb.ProgressGroup.$Properties;
    }

    /**
     * Properties of a ProxyEnv.
     * @deprecated Use pb.ProxyEnv.$Properties instead.
     */
    interface IProxyEnv extends pb.ProxyEnv.$Properties {
    }

    /** Proxy settings passed to an ExecOp (not part of the cache key). */
    class ProxyEnv {

        /**
         * Constructs a new ProxyEnv.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.ProxyEnv.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ProxyEnv http_proxy. */
        http_proxy: string;

        /** ProxyEnv https_proxy. */
        https_proxy: string;

        /** ProxyEnv ftp_proxy. */
        ftp_proxy: string;

        /** ProxyEnv no_proxy. */
        no_proxy: string;

        /** ProxyEnv all_proxy. */
        all_proxy: string;

        /**
         * Creates a new ProxyEnv instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ProxyEnv instance
         */
        static create(properties: pb.ProxyEnv.$Shape): pb.ProxyEnv & pb.ProxyEnv.$Shape;
        static create(properties?: pb.ProxyEnv.$Properties): pb.ProxyEnv;

        /**
         * Encodes the specified ProxyEnv message. Does not implicitly {@link pb.ProxyEnv.verify|verify} messages.
         * @param message ProxyEnv message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.ProxyEnv.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a ProxyEnv message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.ProxyEnv & pb.ProxyEnv.$Shape} ProxyEnv
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.ProxyEnv & pb.ProxyEnv.$Shape;

        /**
         * Creates a ProxyEnv message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ProxyEnv
         */
        static fromObject(object: object): pb.ProxyEnv;

        /**
         * Creates a plain object from a ProxyEnv message. Also converts values to other types if specified.
         * @param message ProxyEnv
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.ProxyEnv, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this ProxyEnv to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace ProxyEnv {

        /** Properties of a ProxyEnv. */
        interface $Properties {

            /** ProxyEnv http_proxy */
            http_proxy?: (string|null);

            /** ProxyEnv https_proxy */
            https_proxy?: (string|null);

            /** ProxyEnv ftp_proxy */
            ftp_proxy?: (string|null);

            /** ProxyEnv no_proxy */
            no_proxy?: (string|null);

            /** ProxyEnv all_proxy */
            all_proxy?: (string|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a ProxyEnv. */
        type $Shape = pb.ProxyEnv.$Properties;
    }

    /**
     * Properties of a WorkerConstraints.
     * @deprecated Use pb.WorkerConstraints.$Properties instead.
     */
    interface IWorkerConstraints extends pb.WorkerConstraints.$Properties {
    }

    /** Worker selection filters. */
    class WorkerConstraints {

        /**
         * Constructs a new WorkerConstraints.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.WorkerConstraints.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** WorkerConstraints filter. */
        filter: string[];

        /**
         * Creates a new WorkerConstraints instance using the specified properties.
         * @param [properties] Properties to set
         * @returns WorkerConstraints instance
         */
        static create(properties: pb.WorkerConstraints.$Shape): pb.WorkerConstraints & pb.WorkerConstraints.$Shape;
        static create(properties?: pb.WorkerConstraints.$Properties): pb.WorkerConstraints;

        /**
         * Encodes the specified WorkerConstraints message. Does not implicitly {@link pb.WorkerConstraints.verify|verify} messages.
         * @param message WorkerConstraints message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.WorkerConstraints.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a WorkerConstraints message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.WorkerConstraints & pb.WorkerConstraints.$Shape} WorkerConstraints
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.WorkerConstraints & pb.WorkerConstraints.$Shape;

        /**
         * Creates a WorkerConstraints message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns WorkerConstraints
         */
        static fromObject(object: object): pb.WorkerConstraints;

        /**
         * Creates a plain object from a WorkerConstraints message. Also converts values to other types if specified.
         * @param message WorkerConstraints
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.WorkerConstraints, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this WorkerConstraints to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace WorkerConstraints {

        /** Properties of a WorkerConstraints. */
        interface $Properties {

            /** WorkerConstraints filter */
            filter?: (string[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a WorkerConstraints. */
        type $Shape = pb.WorkerConstraints.$Properties;
    }

    /**
     * Properties of a Definition.
     * @deprecated Use pb.Definition.$Properties instead.
     */
    interface IDefinition extends pb.Definition.$Properties {
    }

    /** A whole LLB graph: marshalled ops, metadata keyed by op digest, optional source map. */
    class Definition {

        /**
         * Constructs a new Definition.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.Definition.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** Definition def. */
        def: Uint8Array[];

        /** Definition metadata. */
        metadata: { [k: string]: pb.OpMetadata.$Properties };

        /** Definition Source. */
        Source?: (pb.Source.$Properties|null);

        /**
         * Creates a new Definition instance using the specified properties.
         * @param [properties] Properties to set
         * @returns Definition instance
         */
        static create(properties: pb.Definition.$Shape): pb.Definition & pb.Definition.$Shape;
        static create(properties?: pb.Definition.$Properties): pb.Definition;

        /**
         * Encodes the specified Definition message. Does not implicitly {@link pb.Definition.verify|verify} messages.
         * @param message Definition message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.Definition.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Definition message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.Definition & pb.Definition.$Shape} Definition
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.Definition & pb.Definition.$Shape;

        /**
         * Creates a Definition message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns Definition
         */
        static fromObject(object: object): pb.Definition;

        /**
         * Creates a plain object from a Definition message. Also converts values to other types if specified.
         * @param message Definition
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.Definition, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this Definition to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace Definition {

        /** Properties of a Definition. */
        interface $Properties {

            /** Definition def */
            def?: (Uint8Array[]|null);

            /** Definition metadata */
            metadata?: ({ [k: string]: pb.OpMetadata.$Properties }|null);

            /** Definition Source */
            Source?: (pb.Source.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a Definition. */
        type $Shape = pb.Definition.$Properties;
    }

    /**
     * Properties of a FileOp.
     * @deprecated Use pb.FileOp.$Properties instead.
     */
    interface IFileOp extends pb.FileOp.$Properties {
    }

    /** A sequence of file actions. */
    class FileOp {

        /**
         * Constructs a new FileOp.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.FileOp.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FileOp actions. */
        actions: pb.FileAction.$Properties[];

        /**
         * Creates a new FileOp instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FileOp instance
         */
        static create(properties: pb.FileOp.$Shape): pb.FileOp & pb.FileOp.$Shape;
        static create(properties?: pb.FileOp.$Properties): pb.FileOp;

        /**
         * Encodes the specified FileOp message. Does not implicitly {@link pb.FileOp.verify|verify} messages.
         * @param message FileOp message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.FileOp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FileOp message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.FileOp & pb.FileOp.$Shape} FileOp
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.FileOp & pb.FileOp.$Shape;

        /**
         * Creates a FileOp message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FileOp
         */
        static fromObject(object: object): pb.FileOp;

        /**
         * Creates a plain object from a FileOp message. Also converts values to other types if specified.
         * @param message FileOp
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.FileOp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this FileOp to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace FileOp {

        /** Properties of a FileOp. */
        interface $Properties {

            /** FileOp actions */
            actions?: (pb.FileAction.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FileOp. */
        type $Shape = {
          actions?: pb.FileAction.$Shape[]|null;
          $unknowns?: Uint8Array[];
        };
    }

    /**
     * Properties of a FileAction.
     * @deprecated Use pb.FileAction.$Properties instead.
     */
    interface IFileAction extends pb.FileAction.$Properties {
    }

    /** One action of a FileOp; input indexes address Op.inputs, then earlier actions' results. */
    class FileAction {

        /**
         * Constructs a new FileAction.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.FileAction.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FileAction input. */
        input: number;

        /** FileAction secondaryInput. */
        secondaryInput: number;

        /** FileAction output. */
        output: number;

        /** FileAction copy. */
        copy?: (pb.FileActionCopy.$Properties|null);

        /** FileAction mkfile. */
        mkfile?: (pb.FileActionMkFile.$Properties|null);

        /** FileAction mkdir. */
        mkdir?: (pb.FileActionMkDir.$Properties|null);

        /** FileAction rm. */
        rm?: (pb.FileActionRm.$Properties|null);

        /** FileAction action. */
        action?: ("copy"|"mkfile"|"mkdir"|"rm");

        /**
         * Creates a new FileAction instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FileAction instance
         */
        static create(properties: pb.FileAction.$Shape): pb.FileAction & pb.FileAction.$Shape;
        static create(properties?: pb.FileAction.$Properties): pb.FileAction;

        /**
         * Encodes the specified FileAction message. Does not implicitly {@link pb.FileAction.verify|verify} messages.
         * @param message FileAction message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.FileAction.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FileAction message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.FileAction & pb.FileAction.$Shape} FileAction
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.FileAction & pb.FileAction.$Shape;

        /**
         * Creates a FileAction message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FileAction
         */
        static fromObject(object: object): pb.FileAction;

        /**
         * Creates a plain object from a FileAction message. Also converts values to other types if specified.
         * @param message FileAction
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.FileAction, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this FileAction to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace FileAction {

        /** Properties of a FileAction. */
        interface $Properties {

            /** FileAction input */
            input?: (number|null);

            /** FileAction secondaryInput */
            secondaryInput?: (number|null);

            /** FileAction output */
            output?: (number|null);

            /** FileAction copy */
            copy?: (pb.FileActionCopy.$Properties|null);

            /** FileAction mkfile */
            mkfile?: (pb.FileActionMkFile.$Properties|null);

            /** FileAction mkdir */
            mkdir?: (pb.FileActionMkDir.$Properties|null);

            /** FileAction rm */
            rm?: (pb.FileActionRm.$Properties|null);

            /** FileAction action */
            action?: ("copy"|"mkfile"|"mkdir"|"rm");

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Narrowed shape of a FileAction. */
        type $Shape = {
          input?: number|null;
          secondaryInput?: number|null;
          output?: number|null;
          copy?: pb.FileActionCopy.$Shape|null;
          mkfile?: pb.FileActionMkFile.$Shape|null;
          mkdir?: pb.FileActionMkDir.$Shape|null;
          rm?: pb.FileActionRm.$Shape|null;
          $unknowns?: Uint8Array[];
        } & (
          ({ action?: undefined; copy?: null; mkfile?: null; mkdir?: null; rm?: null }|{ action?: "copy"; copy: pb.FileActionCopy.$Shape; mkfile?: null; mkdir?: null; rm?: null }|{ action?: "mkfile"; copy?: null; mkfile: pb.FileActionMkFile.$Shape; mkdir?: null; rm?: null }|{ action?: "mkdir"; copy?: null; mkfile?: null; mkdir: pb.FileActionMkDir.$Shape; rm?: null }|{ action?: "rm"; copy?: null; mkfile?: null; mkdir?: null; rm: pb.FileActionRm.$Shape })
        );
    }

    /**
     * Properties of a FileActionCopy.
     * @deprecated Use pb.FileActionCopy.$Properties instead.
     */
    interface IFileActionCopy extends pb.FileActionCopy.$Properties {
    }

    /** Copy from secondaryInput onto input. */
    class FileActionCopy {

        /**
         * Constructs a new FileActionCopy.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.FileActionCopy.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FileActionCopy src. */
        src: string;

        /** FileActionCopy dest. */
        dest: string;

        /** FileActionCopy owner. */
        owner?: (pb.ChownOpt.$Properties|null);

        /** -1 keeps the source mode */
        mode: number;

        /** FileActionCopy followSymlink. */
        followSymlink: boolean;

        /** FileActionCopy dirCopyContents. */
        dirCopyContents: boolean;

        /** FileActionCopy attemptUnpackDockerCompatibility. */
        attemptUnpackDockerCompatibility: boolean;

        /** FileActionCopy createDestPath. */
        createDestPath: boolean;

        /** FileActionCopy allowWildcard. */
        allowWildcard: boolean;

        /** FileActionCopy allowEmptyWildcard. */
        allowEmptyWildcard: boolean;

        /** unix ns, -1 unset */
        timestamp: number;

        /** FileActionCopy include_patterns. */
        include_patterns: string[];

        /** FileActionCopy exclude_patterns. */
        exclude_patterns: string[];

        /**
         * Creates a new FileActionCopy instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FileActionCopy instance
         */
        static create(properties: pb.FileActionCopy.$Shape): pb.FileActionCopy & pb.FileActionCopy.$Shape;
        static create(properties?: pb.FileActionCopy.$Properties): pb.FileActionCopy;

        /**
         * Encodes the specified FileActionCopy message. Does not implicitly {@link pb.FileActionCopy.verify|verify} messages.
         * @param message FileActionCopy message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.FileActionCopy.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FileActionCopy message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.FileActionCopy & pb.FileActionCopy.$Shape} FileActionCopy
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.FileActionCopy & pb.FileActionCopy.$Shape;

        /**
         * Creates a FileActionCopy message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FileActionCopy
         */
        static fromObject(object: object): pb.FileActionCopy;

        /**
         * Creates a plain object from a FileActionCopy message. Also converts values to other types if specified.
         * @param message FileActionCopy
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.FileActionCopy, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this FileActionCopy to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace FileActionCopy {

        /** Properties of a FileActionCopy. */
        interface $Properties {

            /** FileActionCopy src */
            src?: (string|null);

            /** FileActionCopy dest */
            dest?: (string|null);

            /** FileActionCopy owner */
            owner?: (pb.ChownOpt.$Properties|null);

            /** 1 keeps the source mode */
            mode?: (number|null);

            /** FileActionCopy followSymlink */
            followSymlink?: (boolean|null);

            /** FileActionCopy dirCopyContents */
            dirCopyContents?: (boolean|null);

            /** FileActionCopy attemptUnpackDockerCompatibility */
            attemptUnpackDockerCompatibility?: (boolean|null);

            /** FileActionCopy createDestPath */
            createDestPath?: (boolean|null);

            /** FileActionCopy allowWildcard */
            allowWildcard?: (boolean|null);

            /** FileActionCopy allowEmptyWildcard */
            allowEmptyWildcard?: (boolean|null);

            /** unix ns, -1 unset */
            timestamp?: (number|null);

            /** FileActionCopy include_patterns */
            include_patterns?: (string[]|null);

            /** FileActionCopy exclude_patterns */
            exclude_patterns?: (string[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FileActionCopy. */
        type $Shape = {
          src?: string|null;
          dest?: string|null;
          owner?: pb.ChownOpt.$Shape|null;
          mode?: number|null;
          followSymlink?: boolean|null;
          dirCopyContents?: boolean|null;
          attemptUnpackDockerCompatibility?: boolean|null;
          createDestPath?: boolean|null;
          allowWildcard?: boolean|null;
          allowEmptyWildcard?: boolean|null;
          timestamp?: number|null;
          include_patterns?: string[]|null;
          exclude_patterns?: string[]|null;
          $unknowns?: Uint8Array[];
        };
    }

    /**
     * Properties of a FileActionMkFile.
     * @deprecated Use pb.FileActionMkFile.$Properties instead.
     */
    interface IFileActionMkFile extends pb.FileActionMkFile.$Properties {
    }

    /** Create a file with the given contents. */
    class FileActionMkFile {

        /**
         * Constructs a new FileActionMkFile.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.FileActionMkFile.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FileActionMkFile path. */
        path: string;

        /** FileActionMkFile mode. */
        mode: number;

        /** FileActionMkFile data. */
        data: Uint8Array;

        /** FileActionMkFile owner. */
        owner?: (pb.ChownOpt.$Properties|null);

        /** FileActionMkFile timestamp. */
        timestamp: number;

        /**
         * Creates a new FileActionMkFile instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FileActionMkFile instance
         */
        static create(properties: pb.FileActionMkFile.$Shape): pb.FileActionMkFile & pb.FileActionMkFile.$Shape;
        static create(properties?: pb.FileActionMkFile.$Properties): pb.FileActionMkFile;

        /**
         * Encodes the specified FileActionMkFile message. Does not implicitly {@link pb.FileActionMkFile.verify|verify} messages.
         * @param message FileActionMkFile message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.FileActionMkFile.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FileActionMkFile message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.FileActionMkFile & pb.FileActionMkFile.$Shape} FileActionMkFile
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.FileActionMkFile & pb.FileActionMkFile.$Shape;

        /**
         * Creates a FileActionMkFile message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FileActionMkFile
         */
        static fromObject(object: object): pb.FileActionMkFile;

        /**
         * Creates a plain object from a FileActionMkFile message. Also converts values to other types if specified.
         * @param message FileActionMkFile
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.FileActionMkFile, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this FileActionMkFile to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace FileActionMkFile {

        /** Properties of a FileActionMkFile. */
        interface $Properties {

            /** FileActionMkFile path */
            path?: (string|null);

            /** FileActionMkFile mode */
            mode?: (number|null);

            /** FileActionMkFile data */
            data?: (Uint8Array|null);

            /** FileActionMkFile owner */
            owner?: (pb.ChownOpt.$Properties|null);

            /** FileActionMkFile timestamp */
            timestamp?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FileActionMkFile. */
        type $Shape = {
          path?: string|null;
          mode?: number|null;
          data?: Uint8Array|null;
          owner?: pb.ChownOpt.$Shape|null;
          timestamp?: number|null;
          $unknowns?: Uint8Array[];
        };
    }

    /**
     * Properties of a FileActionMkDir.
     * @deprecated Use pb.FileActionMkDir.$Properties instead.
     */
    interface IFileActionMkDir extends pb.FileActionMkDir.$Properties {
    }

    /** Create a directory. */
    class FileActionMkDir {

        /**
         * Constructs a new FileActionMkDir.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.FileActionMkDir.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FileActionMkDir path. */
        path: string;

        /** FileActionMkDir mode. */
        mode: number;

        /** FileActionMkDir makeParents. */
        makeParents: boolean;

        /** FileActionMkDir owner. */
        owner?: (pb.ChownOpt.$Properties|null);

        /** FileActionMkDir timestamp. */
        timestamp: number;

        /**
         * Creates a new FileActionMkDir instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FileActionMkDir instance
         */
        static create(properties: pb.FileActionMkDir.$Shape): pb.FileActionMkDir & pb.FileActionMkDir.$Shape;
        static create(properties?: pb.FileActionMkDir.$Properties): pb.FileActionMkDir;

        /**
         * Encodes the specified FileActionMkDir message. Does not implicitly {@link pb.FileActionMkDir.verify|verify} messages.
         * @param message FileActionMkDir message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.FileActionMkDir.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FileActionMkDir message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.FileActionMkDir & pb.FileActionMkDir.$Shape} FileActionMkDir
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.FileActionMkDir & pb.FileActionMkDir.$Shape;

        /**
         * Creates a FileActionMkDir message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FileActionMkDir
         */
        static fromObject(object: object): pb.FileActionMkDir;

        /**
         * Creates a plain object from a FileActionMkDir message. Also converts values to other types if specified.
         * @param message FileActionMkDir
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.FileActionMkDir, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this FileActionMkDir to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace FileActionMkDir {

        /** Properties of a FileActionMkDir. */
        interface $Properties {

            /** FileActionMkDir path */
            path?: (string|null);

            /** FileActionMkDir mode */
            mode?: (number|null);

            /** FileActionMkDir makeParents */
            makeParents?: (boolean|null);

            /** FileActionMkDir owner */
            owner?: (pb.ChownOpt.$Properties|null);

            /** FileActionMkDir timestamp */
            timestamp?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FileActionMkDir. */
        type $Shape = {
          path?: string|null;
          mode?: number|null;
          makeParents?: boolean|null;
          owner?: pb.ChownOpt.$Shape|null;
          timestamp?: number|null;
          $unknowns?: Uint8Array[];
        };
    }

    /**
     * Properties of a FileActionRm.
     * @deprecated Use pb.FileActionRm.$Properties instead.
     */
    interface IFileActionRm extends pb.FileActionRm.$Properties {
    }

    /** Remove a path. */
    class FileActionRm {

        /**
         * Constructs a new FileActionRm.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.FileActionRm.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** FileActionRm path. */
        path: string;

        /** FileActionRm allowNotFound. */
        allowNotFound: boolean;

        /** FileActionRm allowWildcard. */
        allowWildcard: boolean;

        /**
         * Creates a new FileActionRm instance using the specified properties.
         * @param [properties] Properties to set
         * @returns FileActionRm instance
         */
        static create(properties: pb.FileActionRm.$Shape): pb.FileActionRm & pb.FileActionRm.$Shape;
        static create(properties?: pb.FileActionRm.$Properties): pb.FileActionRm;

        /**
         * Encodes the specified FileActionRm message. Does not implicitly {@link pb.FileActionRm.verify|verify} messages.
         * @param message FileActionRm message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.FileActionRm.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a FileActionRm message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.FileActionRm & pb.FileActionRm.$Shape} FileActionRm
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.FileActionRm & pb.FileActionRm.$Shape;

        /**
         * Creates a FileActionRm message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns FileActionRm
         */
        static fromObject(object: object): pb.FileActionRm;

        /**
         * Creates a plain object from a FileActionRm message. Also converts values to other types if specified.
         * @param message FileActionRm
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.FileActionRm, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this FileActionRm to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace FileActionRm {

        /** Properties of a FileActionRm. */
        interface $Properties {

            /** FileActionRm path */
            path?: (string|null);

            /** FileActionRm allowNotFound */
            allowNotFound?: (boolean|null);

            /** FileActionRm allowWildcard */
            allowWildcard?: (boolean|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a FileActionRm. */
        type $Shape = pb.FileActionRm.$Properties;
    }

    /**
     * Properties of a ChownOpt.
     * @deprecated Use pb.ChownOpt.$Properties instead.
     */
    interface IChownOpt extends pb.ChownOpt.$Properties {
    }

    /** Ownership override. */
    class ChownOpt {

        /**
         * Constructs a new ChownOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.ChownOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** ChownOpt user. */
        user?: (pb.UserOpt.$Properties|null);

        /** ChownOpt group. */
        group?: (pb.UserOpt.$Properties|null);

        /**
         * Creates a new ChownOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns ChownOpt instance
         */
        static create(properties: pb.ChownOpt.$Shape): pb.ChownOpt & pb.ChownOpt.$Shape;
        static create(properties?: pb.ChownOpt.$Properties): pb.ChownOpt;

        /**
         * Encodes the specified ChownOpt message. Does not implicitly {@link pb.ChownOpt.verify|verify} messages.
         * @param message ChownOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.ChownOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a ChownOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.ChownOpt & pb.ChownOpt.$Shape} ChownOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.ChownOpt & pb.ChownOpt.$Shape;

        /**
         * Creates a ChownOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns ChownOpt
         */
        static fromObject(object: object): pb.ChownOpt;

        /**
         * Creates a plain object from a ChownOpt message. Also converts values to other types if specified.
         * @param message ChownOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.ChownOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this ChownOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace ChownOpt {

        /** Properties of a ChownOpt. */
        interface $Properties {

            /** ChownOpt user */
            user?: (pb.UserOpt.$Properties|null);

            /** ChownOpt group */
            group?: (pb.UserOpt.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a ChownOpt. */
        type $Shape = {
          user?: pb.UserOpt.$Shape|null;
          group?: pb.UserOpt.$Shape|null;
          $unknowns?: Uint8Array[];
        };
    }

    /**
     * Properties of a UserOpt.
     * @deprecated Use pb.UserOpt.$Properties instead.
     */
    interface IUserOpt extends pb.UserOpt.$Properties {
    }

    /** A user or group, by name or numeric id. */
    class UserOpt {

        /**
         * Constructs a new UserOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.UserOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** UserOpt byName. */
        byName?: (pb.NamedUserOpt.$Properties|null);

        /** UserOpt byID. */
        byID?: (number|null);

        /** UserOpt user. */
        user?: ("byName"|"byID");

        /**
         * Creates a new UserOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns UserOpt instance
         */
        static create(properties: pb.UserOpt.$Shape): pb.UserOpt & pb.UserOpt.$Shape;
        static create(properties?: pb.UserOpt.$Properties): pb.UserOpt;

        /**
         * Encodes the specified UserOpt message. Does not implicitly {@link pb.UserOpt.verify|verify} messages.
         * @param message UserOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.UserOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a UserOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.UserOpt & pb.UserOpt.$Shape} UserOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.UserOpt & pb.UserOpt.$Shape;

        /**
         * Creates a UserOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns UserOpt
         */
        static fromObject(object: object): pb.UserOpt;

        /**
         * Creates a plain object from a UserOpt message. Also converts values to other types if specified.
         * @param message UserOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.UserOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this UserOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace UserOpt {

        /** Properties of a UserOpt. */
        interface $Properties {

            /** UserOpt byName */
            byName?: (pb.NamedUserOpt.$Properties|null);

            /** UserOpt byID */
            byID?: (number|null);

            /** UserOpt user */
            user?: ("byName"|"byID");

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Narrowed shape of a UserOpt. */
        type $Shape = {
          byName?: pb.NamedUserOpt.$Shape|null;
          byID?: number|null;
          $unknowns?: Uint8Array[];
        } & (
          ({ user?: undefined; byName?: null; byID?: null }|{ user?: "byName"; byName: pb.NamedUserOpt.$Shape; byID?: null }|{ user?: "byID"; byName?: null; byID: number })
        );
    }

    /**
     * Properties of a NamedUserOpt.
     * @deprecated Use pb.NamedUserOpt.$Properties instead.
     */
    interface INamedUserOpt extends pb.NamedUserOpt.$Properties {
    }

    /** A user/group name looked up in the passwd/group files of an input. */
    class NamedUserOpt {

        /**
         * Constructs a new NamedUserOpt.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.NamedUserOpt.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** NamedUserOpt name. */
        name: string;

        /** NamedUserOpt input. */
        input: number;

        /**
         * Creates a new NamedUserOpt instance using the specified properties.
         * @param [properties] Properties to set
         * @returns NamedUserOpt instance
         */
        static create(properties: pb.NamedUserOpt.$Shape): pb.NamedUserOpt & pb.NamedUserOpt.$Shape;
        static create(properties?: pb.NamedUserOpt.$Properties): pb.NamedUserOpt;

        /**
         * Encodes the specified NamedUserOpt message. Does not implicitly {@link pb.NamedUserOpt.verify|verify} messages.
         * @param message NamedUserOpt message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.NamedUserOpt.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a NamedUserOpt message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.NamedUserOpt & pb.NamedUserOpt.$Shape} NamedUserOpt
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.NamedUserOpt & pb.NamedUserOpt.$Shape;

        /**
         * Creates a NamedUserOpt message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns NamedUserOpt
         */
        static fromObject(object: object): pb.NamedUserOpt;

        /**
         * Creates a plain object from a NamedUserOpt message. Also converts values to other types if specified.
         * @param message NamedUserOpt
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.NamedUserOpt, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this NamedUserOpt to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace NamedUserOpt {

        /** Properties of a NamedUserOpt. */
        interface $Properties {

            /** NamedUserOpt name */
            name?: (string|null);

            /** NamedUserOpt input */
            input?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a NamedUserOpt. */
        type $Shape = pb.NamedUserOpt.$Properties;
    }

    /**
     * Properties of a MergeInput.
     * @deprecated Use pb.MergeInput.$Properties instead.
     */
    interface IMergeInput extends pb.MergeInput.$Properties {
    }

    /** One layer of a MergeOp. */
    class MergeInput {

        /**
         * Constructs a new MergeInput.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.MergeInput.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** MergeInput input. */
        input: number;

        /**
         * Creates a new MergeInput instance using the specified properties.
         * @param [properties] Properties to set
         * @returns MergeInput instance
         */
        static create(properties: pb.MergeInput.$Shape): pb.MergeInput & pb.MergeInput.$Shape;
        static create(properties?: pb.MergeInput.$Properties): pb.MergeInput;

        /**
         * Encodes the specified MergeInput message. Does not implicitly {@link pb.MergeInput.verify|verify} messages.
         * @param message MergeInput message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.MergeInput.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a MergeInput message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.MergeInput & pb.MergeInput.$Shape} MergeInput
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.MergeInput & pb.MergeInput.$Shape;

        /**
         * Creates a MergeInput message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns MergeInput
         */
        static fromObject(object: object): pb.MergeInput;

        /**
         * Creates a plain object from a MergeInput message. Also converts values to other types if specified.
         * @param message MergeInput
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.MergeInput, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this MergeInput to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace MergeInput {

        /** Properties of a MergeInput. */
        interface $Properties {

            /** MergeInput input */
            input?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a MergeInput. */
        type $Shape = pb.MergeInput.$Properties;
    }

    /**
     * Properties of a MergeOp.
     * @deprecated Use pb.MergeOp.$Properties instead.
     */
    interface IMergeOp extends pb.MergeOp.$Properties {
    }

    /** Stacks its inputs on top of each other. */
    class MergeOp {

        /**
         * Constructs a new MergeOp.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.MergeOp.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** MergeOp inputs. */
        inputs: pb.MergeInput.$Properties[];

        /**
         * Creates a new MergeOp instance using the specified properties.
         * @param [properties] Properties to set
         * @returns MergeOp instance
         */
        static create(properties: pb.MergeOp.$Shape): pb.MergeOp & pb.MergeOp.$Shape;
        static create(properties?: pb.MergeOp.$Properties): pb.MergeOp;

        /**
         * Encodes the specified MergeOp message. Does not implicitly {@link pb.MergeOp.verify|verify} messages.
         * @param message MergeOp message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.MergeOp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a MergeOp message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.MergeOp & pb.MergeOp.$Shape} MergeOp
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.MergeOp & pb.MergeOp.$Shape;

        /**
         * Creates a MergeOp message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns MergeOp
         */
        static fromObject(object: object): pb.MergeOp;

        /**
         * Creates a plain object from a MergeOp message. Also converts values to other types if specified.
         * @param message MergeOp
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.MergeOp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this MergeOp to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace MergeOp {

        /** Properties of a MergeOp. */
        interface $Properties {

            /** MergeOp inputs */
            inputs?: (pb.MergeInput.$Properties[]|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a MergeOp. */
        type $Shape = pb.MergeOp.$Properties;
    }

    /**
     * Properties of a LowerDiffInput.
     * @deprecated Use pb.LowerDiffInput.$Properties instead.
     */
    interface ILowerDiffInput extends pb.LowerDiffInput.$Properties {
    }

    /** Lower side of a DiffOp. */
    class LowerDiffInput {

        /**
         * Constructs a new LowerDiffInput.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.LowerDiffInput.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** LowerDiffInput input. */
        input: number;

        /**
         * Creates a new LowerDiffInput instance using the specified properties.
         * @param [properties] Properties to set
         * @returns LowerDiffInput instance
         */
        static create(properties: pb.LowerDiffInput.$Shape): pb.LowerDiffInput & pb.LowerDiffInput.$Shape;
        static create(properties?: pb.LowerDiffInput.$Properties): pb.LowerDiffInput;

        /**
         * Encodes the specified LowerDiffInput message. Does not implicitly {@link pb.LowerDiffInput.verify|verify} messages.
         * @param message LowerDiffInput message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.LowerDiffInput.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a LowerDiffInput message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.LowerDiffInput & pb.LowerDiffInput.$Shape} LowerDiffInput
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.LowerDiffInput & pb.LowerDiffInput.$Shape;

        /**
         * Creates a LowerDiffInput message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns LowerDiffInput
         */
        static fromObject(object: object): pb.LowerDiffInput;

        /**
         * Creates a plain object from a LowerDiffInput message. Also converts values to other types if specified.
         * @param message LowerDiffInput
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.LowerDiffInput, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this LowerDiffInput to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace LowerDiffInput {

        /** Properties of a LowerDiffInput. */
        interface $Properties {

            /** LowerDiffInput input */
            input?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a LowerDiffInput. */
        type $Shape = pb.LowerDiffInput.$Properties;
    }

    /**
     * Properties of an UpperDiffInput.
     * @deprecated Use pb.UpperDiffInput.$Properties instead.
     */
    interface IUpperDiffInput extends pb.UpperDiffInput.$Properties {
    }

    /** Upper side of a DiffOp. */
    class UpperDiffInput {

        /**
         * Constructs a new UpperDiffInput.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.UpperDiffInput.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** UpperDiffInput input. */
        input: number;

        /**
         * Creates a new UpperDiffInput instance using the specified properties.
         * @param [properties] Properties to set
         * @returns UpperDiffInput instance
         */
        static create(properties: pb.UpperDiffInput.$Shape): pb.UpperDiffInput & pb.UpperDiffInput.$Shape;
        static create(properties?: pb.UpperDiffInput.$Properties): pb.UpperDiffInput;

        /**
         * Encodes the specified UpperDiffInput message. Does not implicitly {@link pb.UpperDiffInput.verify|verify} messages.
         * @param message UpperDiffInput message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.UpperDiffInput.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an UpperDiffInput message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.UpperDiffInput & pb.UpperDiffInput.$Shape} UpperDiffInput
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.UpperDiffInput & pb.UpperDiffInput.$Shape;

        /**
         * Creates an UpperDiffInput message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns UpperDiffInput
         */
        static fromObject(object: object): pb.UpperDiffInput;

        /**
         * Creates a plain object from an UpperDiffInput message. Also converts values to other types if specified.
         * @param message UpperDiffInput
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.UpperDiffInput, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this UpperDiffInput to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace UpperDiffInput {

        /** Properties of an UpperDiffInput. */
        interface $Properties {

            /** UpperDiffInput input */
            input?: (number|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of an UpperDiffInput. */
        type $Shape = pb.UpperDiffInput.$Properties;
    }

    /**
     * Properties of a DiffOp.
     * @deprecated Use pb.DiffOp.$Properties instead.
     */
    interface IDiffOp extends pb.DiffOp.$Properties {
    }

    /** The changes between lower and upper. */
    class DiffOp {

        /**
         * Constructs a new DiffOp.
         * @param [properties] Properties to set
         */
        constructor(properties?: pb.DiffOp.$Properties);

        /** Unknown fields preserved while decoding when enabled */
        $unknowns?: Uint8Array[];

        /** DiffOp lower. */
        lower?: (pb.LowerDiffInput.$Properties|null);

        /** DiffOp upper. */
        upper?: (pb.UpperDiffInput.$Properties|null);

        /**
         * Creates a new DiffOp instance using the specified properties.
         * @param [properties] Properties to set
         * @returns DiffOp instance
         */
        static create(properties: pb.DiffOp.$Shape): pb.DiffOp & pb.DiffOp.$Shape;
        static create(properties?: pb.DiffOp.$Properties): pb.DiffOp;

        /**
         * Encodes the specified DiffOp message. Does not implicitly {@link pb.DiffOp.verify|verify} messages.
         * @param message DiffOp message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        static encode(message: pb.DiffOp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a DiffOp message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns {pb.DiffOp & pb.DiffOp.$Shape} DiffOp
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): pb.DiffOp & pb.DiffOp.$Shape;

        /**
         * Creates a DiffOp message from a plain object. Also converts values to their respective internal types.
         * @param object Plain object
         * @returns DiffOp
         */
        static fromObject(object: object): pb.DiffOp;

        /**
         * Creates a plain object from a DiffOp message. Also converts values to other types if specified.
         * @param message DiffOp
         * @param [options] Conversion options
         * @returns Plain object
         */
        static toObject(message: pb.DiffOp, options?: $protobuf.IConversionOptions): { [k: string]: unknown };

        /**
         * Converts this DiffOp to JSON.
         * @returns JSON object
         */
        toJSON(): { [k: string]: unknown };
    }

    namespace DiffOp {

        /** Properties of a DiffOp. */
        interface $Properties {

            /** DiffOp lower */
            lower?: (pb.LowerDiffInput.$Properties|null);

            /** DiffOp upper */
            upper?: (pb.UpperDiffInput.$Properties|null);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];
        }

        /** Shape of a DiffOp. */
        type $Shape = pb.DiffOp.$Properties;
    }
}
